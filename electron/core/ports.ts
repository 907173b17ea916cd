// What the shell (Electron main, browser-mode server, CLI, tests) supplies to core. Core never
// reaches for a platform API itself, so the same services run under Electron and plain Node.
import type { EventName, EventPayload } from '../../shared/contract';

/** Encrypts secrets at rest: safeStorage in Electron, AES-256-GCM with a passphrase in Node. */
export interface SecretCipher {
  /** Format tag written in front of the ciphertext, e.g. `v1:gcm`. */
  readonly format: string;
  encrypt(plaintext: string): Buffer;
  decrypt(ciphertext: Buffer): string;
}

/** Non-secret preferences (role, defaults, tags). electron-store in Electron, conf in Node. */
export interface SettingsStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/** Where core publishes events: webContents.send in Electron, SSE in browser mode. */
export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Collects events in memory; for the CLI and for tests that read what was emitted. */
export class MemoryEventSink implements EventSink {
  readonly emitted: { event: EventName; payload: unknown }[] = [];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitted.push({ event, payload });
  }
}
