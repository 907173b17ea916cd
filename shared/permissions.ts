// The one permission table (DESIGN §10): every channel of the contract says which roles may call it.
// Core enforces it in one place (electron/core/services/guard.ts) whatever the transport; the renderer
// reads the same table to disable a control and say why. A channel missing here does not compile.
import type { Channel } from './contract';
import { ROLES, type Settings } from './domain';

export type Role = (typeof ROLES)[number];

export interface ChannelRule {
  /** Changes something (the store, the clouds, settings or the vault): audited, whoever calls. */
  mutates: boolean;
  /** Roles that may call it with any valid request. */
  roles: readonly Role[];
  /**
   * Roles that may call it only with these request fields (settings:update: support may rename itself
   * and switch its role, nothing else). A request naming any other field is refused.
   */
  onlyFields?: Partial<Record<Role, readonly string[]>>;
}

const read: ChannelRule = { mutates: false, roles: ROLES };
const operatorOnly: ChannelRule = { mutates: true, roles: ['operator'] };

/** Settings the support role may still change: its own display name and the role switch (confirmed, audited). */
export const SUPPORT_SETTINGS = ['operatorName', 'role'] as const satisfies readonly (keyof Settings)[];

export const PERMISSIONS = {
  'app:info': read,
  // Opens a folder on the desktop's own screen: changes nothing, so every role may.
  'app:openDataDir': read,
  // Interrupts every running job (they resume at start): the operator's call, audited.
  'app:restart': operatorOnly,
  'regions:list': read,
  'catalog:get': read,
  'instances:list': read,
  'instances:get': read,
  'instances:destroy': operatorOnly,
  'provision:start': operatorOnly,
  'provision:cancel': operatorOnly,
  'jobs:retry': operatorOnly,
  'jobs:list': read,
  'jobs:get': read,
  'payments:record': operatorOnly,
  'payments:list': read,
  'fleet:sync': read,
  'unowned:list': read,
  'unowned:adopt': operatorOnly,
  'unowned:delete': operatorOnly,
  'audit:list': read,
  'settings:get': read,
  'settings:update': { mutates: true, roles: ['operator'], onlyFields: { support: SUPPORT_SETTINGS } },
  'tokens:status': read,
  'tokens:set': operatorOnly,
  'tokens:test': read,
  'tokens:clear': operatorOnly,
  'tokens:reset': operatorOnly,
} as const satisfies Record<Channel, ChannelRule>;

export const MUTATING_CHANNELS = (Object.keys(PERMISSIONS) as Channel[]).filter((c) => PERMISSIONS[c].mutates);

export const isMutating = (channel: Channel): boolean => PERMISSIONS[channel].mutates;

export type Decision = { allowed: true } | { allowed: false; reason: string; hint: string };

const REFUSED_HINT = 'Ask an operator, or switch your role to operator in Settings if you are one (the switch is audited).';

/**
 * May `role` call `channel` with `request`? Pass no request to ask "could it ever" (the renderer's
 * question before the operator has typed anything): a role limited to some fields answers yes.
 */
export function decide(role: Role, channel: Channel, request?: unknown): Decision {
  const rule: ChannelRule = PERMISSIONS[channel];
  if (rule.roles.includes(role)) return { allowed: true };
  const fields = rule.onlyFields?.[role];
  if (fields) {
    if (request === undefined) return { allowed: true };
    const named = typeof request === 'object' && request !== null ? Object.keys(request).filter((k) => (request as Record<string, unknown>)[k] !== undefined) : [];
    const outside = named.filter((k) => !fields.includes(k));
    if (outside.length === 0) return { allowed: true };
    return {
      allowed: false,
      reason: `Read-only: the ${role} role may change only ${fields.join(' and ')} here, not ${outside.join(', ')}.`,
      hint: REFUSED_HINT,
    };
  }
  return { allowed: false, reason: `Read-only: the ${role} role cannot change anything (${channel} is for operators).`, hint: REFUSED_HINT };
}
