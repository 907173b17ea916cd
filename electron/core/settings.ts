// Typed access to the non-secret settings. Secrets never go here (they live in the vault).
import { DEFAULT_SETTINGS, ROLES, Settings } from '../../shared/domain';
import { OutpostError } from '../../shared/errors';
import { sshKeyProblem } from './cloudinit';
import type { SettingsStore } from './ports';

export type Role = (typeof ROLES)[number];

export function readRole(settings: SettingsStore): Role {
  const role = settings.get<string>('role');
  return (ROLES as readonly string[]).includes(role ?? '') ? (role as Role) : 'operator';
}

/** Every setting, each one validated on read: a hand-edited file falls back to the default. */
export function readSettings(store: SettingsStore): Settings {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
    const parsed = Settings.shape[key].safeParse(store.get(key));
    out[key] = parsed.success ? parsed.data : DEFAULT_SETTINGS[key];
  }
  return out as Settings;
}

/**
 * Applies a validated partial update. Who may change which field is the permission table's call
 * (shared/permissions.ts, enforced by the guard before this runs); the guard audits the diff.
 */
export function updateSettings(store: SettingsStore, patch: Partial<Settings>): Settings {
  // Named by position and reason, never quoted: what was pasted may be a private key, and this
  // message reaches the panel and the audit log.
  for (const [i, key] of (patch.sshKeys ?? []).entries()) {
    const problem = sshKeyProblem(key);
    if (problem === null) continue;
    throw new OutpostError('invalid_input', `sshKeys[${i}] is not an OpenSSH public key: ${problem}.`, {
      hint: 'Paste the one-line public key (e.g. the contents of ~/.ssh/id_ed25519.pub), never a private key. Nothing was changed.',
    });
  }
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) store.set(key, value);
  return readSettings(store);
}

/** In-memory settings for tests and one-shot CLI runs. */
export class MemorySettings implements SettingsStore {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }
}
