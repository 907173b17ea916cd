// The desktop app as a team server's client (issue 16 item 6), against a real `outpost serve` started
// in-process (plain HTTP on loopback, as allowed behind --trust-proxy): a read and a mutation are
// forwarded with the user's role enforced and audited by the server, the server's events reach the
// desktop's sink, a stopped server is `unavailable` (and the status says so) until it is back, and
// the API token — a canary here — never reaches the settings, the log, an error or an answer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import { startRuntime, type Runtime } from '../../../electron/boot/runtime';
import { UserService } from '../../../electron/core/auth/users';
import { localApi } from '../../../electron/core/dispatch';
import { silentLogger } from '../../../electron/core/log';
import type { EventSink } from '../../../electron/core/ports';
import { MemorySettings } from '../../../electron/core/settings';
import { TEAM_URL_SETTING } from '../../../electron/core/team-client';
import { fixedPassphrase } from '../../../electron/core/vault';
import { SseHub } from '../../../electron/server/sse';
import { planListen } from '../../../electron/server/team/listen-plan';
import { startTeamServer, type RunningTeamServer } from '../../../electron/server/team/team-server';
import { tempDir } from '../../fixtures/temp-dir';
import { waitUntil } from '../../fixtures/wait-until';

const PASSWORD = 'Correct horse 42 battery';
let tmp: { dir: string; cleanup: () => void };
let server: Runtime;
let hub: SseHub;
let users: UserService;
let team: RunningTeamServer | null = null;
let port = 0;
let desktop: Runtime;
let anaToken: string;
let samToken: string;
const received: { event: EventName; payload: unknown }[] = [];
/** Every error message and hint the desktop answered, for the canary check. */
const answered: string[] = [];

const sink: EventSink = { emit: (event, payload) => void received.push({ event, payload }) };
const url = () => `http://127.0.0.1:${port}`;

async function serve(): Promise<void> {
  const plan = planListen({ host: '127.0.0.1', port, trustProxy: ['127.0.0.1'], publicUrl: 'https://outpost.example.test' });
  team = await startTeamServer({ handlers: server.handlers, hub, users, plan, rendererDir: join(tmp.dir, 'no-renderer'), log: silentLogger });
  port = Number(new URL(team.listening).port);
}

const api = () => localApi(desktop.handlers, { transport: 'ipc' });
/** The call's refusal (recorded for the canary check), or null. */
async function refusal(call: Promise<unknown>): Promise<OutpostError | null> {
  try {
    await call;
    return null;
  } catch (err) {
    if (!(err instanceof OutpostError)) throw err;
    answered.push(err.message, err.hint ?? '');
    return err;
  }
}

beforeAll(async () => {
  tmp = tempDir('outpost-team-client-');
  hub = new SseHub();
  server = await startRuntime({ dataDir: join(tmp.dir, 'server'), events: hub, settings: new MemorySettings(), mode: 'sandbox', log: silentLogger, fleetSyncIntervalMs: 0, simTimeScale: 0.002 });
  users = new UserService(server.store);
  for (const [name, role] of [['Ana', 'operator'], ['Sam', 'support']] as const) {
    const { inviteUrlToken } = await users.addUser(name, role);
    await users.acceptInvite(inviteUrlToken, PASSWORD);
  }
  anaToken = (await users.issueApiToken({ name: 'Ana' }, 'desktop')).token;
  samToken = (await users.issueApiToken({ name: 'Sam' }, 'desktop')).token;
  await serve();
  // The desktop: its own data directory, settings file and log on disk (the canary is looked for there).
  desktop = await startRuntime({
    dataDir: join(tmp.dir, 'desktop'),
    events: sink,
    mode: 'sandbox',
    fleetSyncIntervalMs: 0,
    vaultCiphers: { passphrase: fixedPassphrase('desktop vault passphrase') },
    teamClient: { timeoutMs: 5000, stream: { backoffMs: 50, maxBackoffMs: 200 } },
  });
});

afterAll(async () => {
  await desktop?.close();
  await team?.close();
  hub?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('desktop as a team client', () => {
  it('is solo until connected: every call local, team:status empty', async () => {
    expect(await api().call('team:status', {})).toMatchObject({ url: null, connected: false, tokenStored: false, reachable: null });
    const info = await api().call('app:info', {});
    expect(info.notices.some((n) => n.includes('team server'))).toBe(false);
    expect(info.dataDir).toBe(join(tmp.dir, 'desktop'));
  });

  it('refuses a plain-http address that is not loopback, and a token the server refuses, keeping solo mode', async () => {
    const http = await refusal(api().call('team:connect', { url: 'http://outpost.example.test', token: anaToken }));
    expect(http?.code).toBe('invalid_input');
    const wrong = await refusal(api().call('team:connect', { url: url(), token: 'outpost_pat_wrongwrongwrongwrongwrongwrong' }));
    expect(wrong?.code).toBe('unauthorized');
    expect(await api().call('team:status', {})).toMatchObject({ url: null, connected: false, tokenStored: false });
    expect(desktop.settings.get(TEAM_URL_SETTING) ?? null).toBeNull();
  });

  it('connects as the operator: reads and changes are the server\'s, audited as the user, events arrive', async () => {
    const status = await api().call('team:connect', { url: url(), token: anaToken });
    expect(status).toMatchObject({ url: url(), connected: true, tokenStored: true, reachable: true, role: 'operator' });
    const info = await api().call('app:info', {});
    expect(info.role).toBe('operator');
    expect(info.dataDir).toBe(join(tmp.dir, 'desktop')); // this desktop's folder, for About → Open data folder
    expect(info.notices[0]).toContain(`127.0.0.1:${port}`);

    const started = await api().call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'team-client' });
    expect(await server.store.jobs.get(started.jobId)).toBeTruthy(); // the server's store …
    expect(await desktop.store.jobs.get(started.jobId)).toBeFalsy(); // … not the desktop's
    const listed = await api().call('jobs:list', { limit: 50 });
    expect(listed.map((j) => j.id)).toContain(started.jobId);
    const [entry] = await server.store.audit.list({ action: 'provision:start', limit: 1 });
    expect(entry).toMatchObject({ actor: 'Ana', role: 'operator', outcome: 'ok' });
    await waitUntil(() => received.some((r) => r.event === 'job:progress' && (r.payload as { jobId: string }).jobId === started.jobId), 'a job:progress event from the server');
    await server.runner.idle();
  });

  it('connects as support: the server refuses its mutations and audits them under its name', async () => {
    expect(await api().call('team:connect', { url: url(), token: samToken })).toMatchObject({ role: 'support' });
    expect((await api().call('app:info', {})).role).toBe('support');
    const refused = await refusal(api().call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'support-tries' }));
    expect(refused?.code).toBe('read_only');
    const [entry] = await server.store.audit.list({ action: 'provision:start', outcome: 'refused', limit: 1 });
    expect(entry).toMatchObject({ actor: 'Sam', role: 'support' });
    expect((await api().call('instances:list', {})).length).toBeGreaterThan(0); // reads still work
  });

  it('answers unavailable naming the server while it is down, and recovers when it is back', async () => {
    await team!.close();
    team = null;
    const down = await refusal(api().call('instances:list', {}));
    expect(down?.code).toBe('unavailable');
    expect(down?.message).toContain(`127.0.0.1:${port}`);
    const status = await api().call('team:status', {});
    expect(status).toMatchObject({ connected: true, reachable: false });
    expect(status.message).toContain(`127.0.0.1:${port}`);
    // The panel still opens (banner, Settings → Team server), with the role last seen on the server.
    const info = await api().call('app:info', {});
    expect(info).toMatchObject({ role: 'support' });
    expect(info.notices[0]).toContain(`127.0.0.1:${port} cannot be reached`);
    // Never quietly local while a server is saved.
    expect(await desktop.store.instances.list({})).toEqual([]);

    await serve();
    expect((await api().call('instances:list', {})).length).toBeGreaterThan(0);
    expect(await api().call('team:status', {})).toMatchObject({ reachable: true, message: null });
    // The event stream reconnects by itself: a new job's events arrive again.
    const before = received.length;
    await api().call('team:connect', { url: url(), token: anaToken });
    const again = await api().call('provision:start', { region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'after-restart' });
    await waitUntil(() => received.slice(before).some((r) => (r.payload as { jobId?: string }).jobId === again.jobId), 'events after the restart');
    await server.runner.idle();
  });

  it('keeps the API tokens out of the settings, the log, every error and every answer', async () => {
    const answers = JSON.stringify([await api().call('team:status', {}), await api().call('app:info', {}), await api().call('settings:get', {}), await api().call('tokens:status', {})]);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(join(tmp.dir, 'desktop'));
    expect(files.some((f) => f.endsWith('vault.json'))).toBe(true);
    for (const token of [anaToken, samToken]) {
      const secret = token.slice('outpost_pat_'.length);
      expect(answers).not.toContain(secret);
      for (const text of answered) expect(text).not.toContain(secret);
      for (const file of files) expect(readFileSync(file, 'latin1'), file).not.toContain(secret);
    }
  });

  it('disconnects back to solo mode: local answers again, the token deleted from the vault', async () => {
    expect(await api().call('team:disconnect', {})).toMatchObject({ url: null, connected: false, tokenStored: false, reachable: null });
    expect(await api().call('jobs:list', {})).toEqual([]); // the desktop's own (empty) store
    const [entry] = await desktop.store.audit.list({ action: 'team:disconnect', limit: 1 });
    expect(entry).toMatchObject({ outcome: 'ok' });
  });
});
