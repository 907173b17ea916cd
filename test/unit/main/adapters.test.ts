import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Shell } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../../shared/contract';
import type { Job } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import { MemoryEventSink } from '../../../electron/core/ports';
import { jobEndedNotice, withJobNotifications } from '../../../electron/main/adapters/notifier';
import { createOpenExternal } from '../../../electron/main/adapters/open-external';
import { createSafeStorageCipher, safeStorageReadiness } from '../../../electron/main/adapters/safe-storage-cipher';
import { createElectronSettingsStore } from '../../../electron/main/adapters/settings-store';
import { Notification, resetElectronStub, safeStorage, shell } from '../../stubs/electron';
import { tempDir } from '../../fixtures/temp-dir';

beforeEach(() => resetElectronStub());

describe('safeStorage cipher', () => {
  const linux = { platform: 'linux' as const, safeStorage };

  it('round-trips with the v1:safe format and never returns plaintext as ciphertext', () => {
    const cipher = createSafeStorageCipher(linux);
    expect(cipher.format).toBe('v1:safe');
    const sealed = cipher.encrypt('hcloud-token-123');
    expect(sealed.toString('utf8')).not.toContain('hcloud-token-123');
    expect(cipher.decrypt(sealed)).toBe('hcloud-token-123');
  });

  it('refuses to encrypt or decrypt when encryption is unavailable', () => {
    const cipher = createSafeStorageCipher(linux);
    const sealed = cipher.encrypt('x');
    safeStorage.available = false;
    expect(() => cipher.encrypt('x')).toThrow(OutpostError);
    expect(() => cipher.decrypt(sealed)).toThrow(/keychain is not available/);
    expect(safeStorageReadiness(linux)).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('refuses basic_text on Linux unless the operator accepted it', () => {
    safeStorage.backend = 'basic_text';
    expect(() => createSafeStorageCipher(linux).encrypt('x')).toThrow(expect.objectContaining({ code: 'locked' }));
    expect(safeStorageReadiness(linux)).toEqual({ ok: false, reason: 'basic_text' });
    const accepted = createSafeStorageCipher({ ...linux, acceptBasicText: true });
    expect(accepted.decrypt(accepted.encrypt('x'))).toBe('x');
  });

  it('refuses before the backend is known, and does not ask for a backend off Linux', () => {
    safeStorage.backend = 'unknown';
    expect(safeStorageReadiness(linux)).toEqual({ ok: false, reason: 'not_ready' });
    const backend = vi.spyOn(safeStorage, 'getSelectedStorageBackend');
    expect(safeStorageReadiness({ platform: 'darwin', safeStorage })).toEqual({ ok: true });
    expect(backend).not.toHaveBeenCalled();
  });

  it('reports a decryption failure without echoing the ciphertext', () => {
    const cipher = createSafeStorageCipher(linux);
    let caught: unknown;
    try {
      cipher.decrypt(Buffer.from('garbage-hcloud-secret'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(OutpostError);
    expect((caught as OutpostError).code).toBe('locked');
    expect(JSON.stringify((caught as OutpostError).toBody())).not.toContain('garbage-hcloud-secret');
  });
});

describe('electron-store settings', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir('outpost-settings-');
  });
  afterEach(() => tmp.cleanup());

  it('persists values to an owner-only file, and unsets on undefined', () => {
    const store = createElectronSettingsStore({ cwd: tmp.dir });
    expect(store.get('role')).toBeUndefined();
    store.set('role', 'support');
    store.set('defaults', { region: 'fsn1' });
    const file = join(tmp.dir, 'settings.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ role: 'support', defaults: { region: 'fsn1' } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(createElectronSettingsStore({ cwd: tmp.dir }).get('role')).toBe('support');
    store.set('role', undefined);
    expect(store.get('role')).toBeUndefined();
  });
});

describe('openExternal adapter', () => {
  it('opens only guarded URLs, and opens the normalised form', async () => {
    const open = createOpenExternal(undefined, shell as unknown as Shell);
    expect(await open('HTTPS://Console.Hetzner.Cloud/projects')).toBe(true);
    expect(await open('https://evil@login.tailscale.com.evil.com/')).toBe(false);
    expect(await open('http://github.com/')).toBe(false);
    expect(await open('file:///etc/passwd')).toBe(false);
    expect(shell.opened).toEqual(['https://console.hetzner.cloud/projects']);
  });

  it('reports an OS failure as false', async () => {
    const open = createOpenExternal(undefined, { openExternal: () => Promise.reject(new Error('no handler')) });
    expect(await open('https://github.com/')).toBe(false);
  });
});

describe('job notifications', () => {
  const job = (status: Job['status'], extra: Partial<Job> = {}): Job => ({
    id: 'job_1',
    kind: 'provision',
    status,
    step: null,
    instanceId: 'inst_1',
    paymentId: null,
    error: null,
    retryOf: null,
    retriedBy: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    ...extra,
  });
  const progress = (j: Job): EventPayload<'job:progress'> => ({ jobId: j.id, seq: 1, job: j, event: null });

  it('describes ended jobs only, without the error message', () => {
    expect(jobEndedNotice(job('running'))).toBeNull();
    expect(jobEndedNotice(job('succeeded'))).toEqual({ title: 'Provisioning finished', body: 'Job job_1' });
    const failed = jobEndedNotice(
      job('failed', { error: { step: 'create_server', code: 'unavailable', message: 'token hc_SECRET rejected' } }),
    );
    expect(failed?.title).toBe('Provisioning failed');
    expect(failed?.body).toContain('unavailable at create_server');
    expect(failed?.body).not.toContain('SECRET');
  });

  it('forwards every event and notifies once per ended job', () => {
    const inner = new MemoryEventSink();
    const shown: unknown[] = [];
    const sink = withJobNotifications(inner, { show: (n) => shown.push(n) });
    sink.emit('job:progress', progress(job('running')));
    sink.emit('job:progress', progress(job('succeeded')));
    sink.emit('job:progress', progress(job('succeeded')));
    expect(inner.emitted).toHaveLength(3);
    expect(shown).toHaveLength(1);
  });

  it('stays quiet while the window has focus, and uses Electron notifications by default', () => {
    const focused = withJobNotifications(new MemoryEventSink(), { isWindowFocused: () => true });
    focused.emit('job:progress', progress(job('failed')));
    expect(Notification.shown).toHaveLength(0);
    const away = withJobNotifications(new MemoryEventSink(), { isWindowFocused: () => false });
    away.emit('job:progress', progress(job('cancelled', { kind: 'destroy' })));
    expect(Notification.shown.map((n) => n.options.title)).toEqual(['Destroy cancelled']);
  });
});
