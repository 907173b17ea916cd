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
   * Roles that may call it only with these request fields (settings:update: support and payments may
   * rename themselves and switch their role, nothing else). A request naming any other field is refused.
   */
  onlyFields?: Partial<Record<Role, readonly string[]>>;
}

// The roles (issue 16): operator — everything; support — reads everything, changes nothing; payments —
// records and reads payments and reads the fleet (what its panel needs to show a VM's progress after a
// payment), nothing else: not the audit, not the vault, no change but a payment.
/** A read every role may make: the fleet and what the panel needs to render it. */
const read: ChannelRule = { mutates: false, roles: ROLES };
/** A read for the staff only: what is not the fleet (the audit, the data folder, testing the tokens). */
const staffRead: ChannelRule = { mutates: false, roles: ['operator', 'support'] };
const operatorOnly: ChannelRule = { mutates: true, roles: ['operator'] };

/**
 * Settings the support and payments roles may still change on a desktop: their own display name and the
 * role switch (confirmed, audited). A signed-in team user may change neither: both come from the
 * account (guard.ts).
 */
export const SUPPORT_SETTINGS = ['operatorName', 'role'] as const satisfies readonly (keyof Settings)[];

export const PERMISSIONS = {
  'app:info': read,
  // Opens a folder on the desktop's own screen: changes nothing, but the folder holds the store and the
  // vault, which are not the fleet.
  'app:openDataDir': staffRead,
  // Interrupts every running job (they resume at start): the operator's call, audited.
  'app:restart': operatorOnly,
  'regions:list': read,
  'catalog:get': read,
  'instances:list': read,
  'instances:page': read,
  'instances:get': read,
  'instances:destroy': operatorOnly,
  'provision:start': operatorOnly,
  'provision:cancel': operatorOnly,
  'jobs:retry': operatorOnly,
  'jobs:list': read,
  'jobs:get': read,
  // Records a payment, which provisions the VM it paid for: the payments role's one change.
  'payments:record': { mutates: true, roles: ['operator', 'payments'] },
  'payments:list': read,
  'fleet:sync': read,
  'unowned:list': read,
  'unowned:adopt': operatorOnly,
  'unowned:delete': operatorOnly,
  'audit:list': staffRead,
  'settings:get': read,
  'settings:update': { mutates: true, roles: ['operator'], onlyFields: { support: SUPPORT_SETTINGS, payments: SUPPORT_SETTINGS } },
  'tokens:status': read,
  'tokens:set': operatorOnly,
  'tokens:test': staffRead,
  'tokens:clear': operatorOnly,
  'tokens:reset': operatorOnly,
  // The desktop's own link to a team server (answered locally, never forwarded): connecting or leaving
  // decides where every call of this desktop goes, so it is the operator's, audited in the local store.
  'team:status': read,
  'team:connect': operatorOnly,
  'team:disconnect': operatorOnly,
} as const satisfies Record<Channel, ChannelRule>;

export const MUTATING_CHANNELS = (Object.keys(PERMISSIONS) as Channel[]).filter((c) => PERMISSIONS[c].mutates);

export const isMutating = (channel: Channel): boolean => PERMISSIONS[channel].mutates;

export type Decision = { allowed: true } | { allowed: false; reason: string; hint: string };

const REFUSED_HINT = 'Ask an operator, or switch your role to operator in Settings if you are one (the switch is audited).';

/** What a role may do, in the words of a refusal. */
const SCOPE: Record<Role, string> = {
  operator: 'may do everything',
  support: 'cannot change anything',
  payments: 'may only record payments and read the fleet',
};
const PEOPLE: Record<Role, string> = { operator: 'operators', support: 'support', payments: 'the payments role' };
const forWhom = (rule: ChannelRule): string => rule.roles.map((r) => PEOPLE[r]).join(' and ');

/**
 * May `role` call `channel` with `request`? Pass no request to ask "could it ever" (the renderer's
 * question before the operator has typed anything): a role limited to some fields answers yes. Reads
 * may be refused too (the payments role does not see the audit); the guard answers a refused read
 * `forbidden` and a refused change `read_only`.
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
  if (!rule.mutates) return { allowed: false, reason: `Not allowed: the ${role} role cannot see this (${channel} is for ${forWhom(rule)}).`, hint: REFUSED_HINT };
  const prefix = role === 'support' ? 'Read-only' : 'Not allowed';
  return { allowed: false, reason: `${prefix}: the ${role} role ${SCOPE[role]} (${channel} is for ${forWhom(rule)}).`, hint: REFUSED_HINT };
}
