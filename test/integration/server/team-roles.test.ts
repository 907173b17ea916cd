// The roles on the team server, over HTTPS, on PostgreSQL: one signed-in user per role calls every
// channel of the contract with a valid request, and is allowed or refused exactly as the permission
// table (shared/permissions.ts) says — whatever the server's own role setting is, since a team user's
// role is their account's. A refusal changes no row and leaves one audit entry naming the user.
// The request map is typed by channel, so a new channel does not compile until it is added here.
import { validRequests } from '../../fixtures/valid-requests';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../shared/contract';
import { ROLES } from '../../../shared/domain';
import { PERMISSIONS, decide, type Role } from '../../../shared/permissions';
import { UserService } from '../../../electron/core/auth/users';
import { silentLogger } from '../../../electron/core/log';
import { SseHub } from '../../../electron/server/sse';
import { planListen } from '../../../electron/server/team/listen-plan';
import { startTeamServer, type RunningTeamServer } from '../../../electron/server/team/team-server';
import { startHarness, type Harness } from '../../fixtures/pipeline';
import { seedInstance } from '../../fixtures/seed';
import { storeHash } from '../../fixtures/store-hash';
import { TeamClient, type Browser } from '../../fixtures/team-client';
import { tempDir } from '../../fixtures/temp-dir';
import { selfSignedCertificate } from '../../fixtures/tls';

const PASSWORD = 'Correct horse 42 battery';
const USER_OF: Record<Role, string> = { operator: 'Olga', support: 'Sven', payments: 'Paula' };
/** Rows that a call may move without changing anything: the catalog refreshes itself, a session records its last request. */
const MOVING = ['catalog', 'audit_log', 'sessions', 'api_tokens'];

let h: Harness;
let tmp: { dir: string; cleanup: () => void };
let server: RunningTeamServer;
let client: TeamClient;
let instanceId: string;
const browsers = {} as Record<Role, Browser>;

/** A request each channel's schema accepts, so a refusal can only come from the role. */
const VALID = validRequests({ instanceId: () => instanceId, name: 'team-vm', agent: 'team', paymentReference: () => `TEAM-${Math.random().toString(36).slice(2, 8)}` });

beforeAll(async () => {
  const hub = new SseHub();
  h = await startHarness({ engine: 'postgres', events: hub });
  expect(h.runtime.store.engine).toBe('postgres');
  instanceId = await seedInstance(h.runtime.store, { name: 'team-vm' });
  const users = new UserService(h.runtime.store);
  for (const role of ROLES) {
    const { inviteUrlToken } = await users.addUser(USER_OF[role], role);
    await users.acceptInvite(inviteUrlToken, PASSWORD);
  }
  tmp = tempDir('outpost-team-roles-');
  const cert = selfSignedCertificate(tmp.dir);
  const plan = planListen({ host: '127.0.0.1', port: 0, tlsCert: cert.certFile, tlsKey: cert.keyFile });
  server = await startTeamServer({ handlers: h.runtime.handlers, hub, users, plan, rendererDir: tmp.dir, log: silentLogger });
  client = new TeamClient(new URL(server.listening), cert.cert);
  for (const role of ROLES) browsers[role] = await client.signIn(USER_OF[role], PASSWORD);
});

afterAll(async () => {
  await server?.close();
  await h?.close();
  tmp?.cleanup();
});

describe('every channel × every role over HTTPS on PostgreSQL', () => {
  it('runs on a server with a user per role', () => {
    expect(ROLES).toEqual(['operator', 'support', 'payments']);
  });

  for (const role of ROLES) {
    for (const channel of CHANNELS) {
      const decision = decide(role, channel, VALID[channel]());
      it(`${role} ${decision.allowed ? 'may' : 'may not'} call ${channel}`, async () => {
        // The server's own role setting is the opposite of a refusal: it must not be what decides.
        h.settings.set('role', 'operator');
        await h.runtime.runner.idle(); // jobs an allowed call started earlier have stopped moving rows
        const auditBefore = (await h.runtime.store.audit.list({ action: channel, limit: 5000 })).length;
        const before = await storeHash(h.runtime.store, MOVING);
        const reply = await client.rpc(browsers[role], channel, VALID[channel]());
        expect(reply.status).toBe(200);
        const answer = reply.json!;
        await h.runtime.runner.idle(); // a job a faulty guard let start would show up in the tables
        if (decision.allowed) {
          if (!answer.ok) {
            // Refused for another reason (a missing job, a fake token): never for the role.
            expect(answer.error!.code, `${role} ${channel}: ${answer.error!.message}`).not.toBe('read_only');
            expect(answer.error!.message).not.toMatch(/^(Not allowed|Read-only): the \w+ role/);
          }
          return;
        }
        expect(answer).toMatchObject({ ok: false, error: { code: PERMISSIONS[channel].mutates ? 'read_only' : 'forbidden', message: decision.reason } });
        expect(await storeHash(h.runtime.store, MOVING), 'a refusal changed a row').toBe(before);
        const audit = await h.runtime.store.audit.list({ action: channel, limit: 5000 });
        expect(audit.length).toBe(auditBefore + 1);
        expect(audit[0]).toMatchObject({ actor: USER_OF[role], role, action: channel, outcome: 'refused', detail: { transport: 'http' } });
      });
    }
  }

  it('gives each role its own role in app:info, whatever the server\'s setting', async () => {
    h.settings.set('role', 'support');
    for (const role of ROLES) expect((await client.rpc(browsers[role], 'app:info')).json, role).toMatchObject({ ok: true, data: { role } });
  });

  it('does not let a signed-in user switch role or rename itself through the settings', async () => {
    for (const role of ROLES) {
      const reply = await client.rpc(browsers[role], 'settings:update', { role: 'operator', operatorName: 'me' });
      expect(reply.json, role).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await client.rpc(browsers.payments, 'app:info')).json).toMatchObject({ data: { role: 'payments' } });
  });
});
