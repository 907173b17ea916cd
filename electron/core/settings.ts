// Typed access to the non-secret settings. Secrets never go here (they live in the vault).
import { ROLES } from '../../shared/domain';
import type { SettingsStore } from './ports';

export type Role = (typeof ROLES)[number];

export function readRole(settings: SettingsStore): Role {
  const role = settings.get<string>('role');
  return (ROLES as readonly string[]).includes(role ?? '') ? (role as Role) : 'operator';
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
