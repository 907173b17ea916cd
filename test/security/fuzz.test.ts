// The contract fuzzed from its own schemas, over HTTP in browser mode, as operator and as support.
// Payloads are derived from each channel's zod request schema (valid, boundary, near-valid, junk),
// so at least a third of them pass validation and reach the handlers — as operator the mutating
// ones really run (provisions, destroys, payments, settings, tokens) on the sandbox simulators.
// Every answer is a typed error or a result matching the response schema, never `internal`; a
// refused call leaves every row of every table, the settings and the vault byte-identical.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, channels, type Channel } from '../../shared/contract';
import { DEFAULT_SETTINGS } from '../../shared/domain';
import { ERROR_CODES } from '../../shared/errors';
import { decide, isMutating, type Role } from '../../shared/permissions';
import { fuzzHints, resolveRefs } from './fuzz-hints';
import { startSecuritySandbox, type SecuritySandbox } from './sandbox';
import { auditSince, snapshot } from './state';
import { payloadArbitrary, type Hints } from './zod-arbitrary';

/**
 * Channels whose successful calls are slow get fewer runs: a started job takes about a second here,
 * and storing a token derives the vault key with scrypt (about half a second on a busy machine).
 */
const SLOW_RUNS: Partial<Record<Channel, number>> = {
  'provision:start': 80,
  'payments:record': 80,
  'instances:destroy': 80,
  'jobs:retry': 80,
  'tokens:set': 50,
};
// Sized so that `npm test` stays within its 15 minutes on 2 cores now that the contract has 35
// channels and three roles (10,000 took the security step to 347 s in CI on a clean clone).
const OPERATOR_TOTAL = 5_000;
const SLOW_TOTAL = Object.values(SLOW_RUNS).reduce((a, b) => a + b, 0);
const OTHER_RUNS = Math.ceil((OPERATOR_TOTAL - SLOW_TOTAL) / (CHANNELS.length - Object.keys(SLOW_RUNS).length));
const SUPPORT_RUNS = 100;

/** Mutating channels that must have succeeded at least once as operator: proof the handlers ran. */
const MUST_SUCCEED: readonly Channel[] = ['provision:start', 'payments:record', 'instances:destroy', 'jobs:retry', 'settings:update', 'tokens:clear'];

interface Tally {
  sent: number;
  valid: number;
  ok: number;
  codes: Record<string, number>;
}

let sb: SecuritySandbox;
let hints: Hints;

beforeAll(async () => {
  sb = await startSecuritySandbox();
  hints = await fuzzHints(sb.runtime);
  // A cancelled provision, so jobs:retry has something it may retry.
  const started = await sb.post('provision:start', JSON.stringify({ region: 'fsn1', serverType: 'cx22', image: 'ubuntu-24.04', agentName: 'to cancel' }));
  expect(started.result.ok, JSON.stringify(started.result)).toBe(true);
  const { jobId } = (started.result as { data: { jobId: string } }).data;
  expect((await sb.post('provision:cancel', JSON.stringify({ jobId }))).result.ok).toBe(true);
  await sb.runtime.runner.idle();
  expect((await sb.runtime.store.jobs.get(jobId))?.status).toBe('cancelled');
});
afterAll(async () => {
  await sb?.close();
});

function resetSettings(role: Role): void {
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) sb.settings.set(key, value);
  sb.settings.set('role', role);
}

/** One call: send, check the answer, and when refused check that nothing changed. */
async function fuzzOne(role: Role, channel: Channel, generated: unknown, tally: Tally): Promise<void> {
  // Jobs started by an earlier call finish first, so "nothing changed" is about this call alone.
  await sb.runtime.runner.idle();
  resetSettings(role);
  const payload = await resolveRefs(sb.runtime, generated);
  const text = JSON.stringify(payload) ?? 'null';
  // What the server will parse: JSON, with an absent body meaning {} (as dispatch reads it).
  const request = channels[channel].req.safeParse(JSON.parse(text) ?? {});
  const before = snapshot(sb.runtime, undefined, { reuse: true });
  const { status, result } = await sb.post(channel, text);
  const where = `${role} ${channel} ${text.slice(0, 300)}`;
  tally.sent += 1;
  if (request.success) tally.valid += 1;
  expect(status, where).toBe(200);
  if (result.ok) {
    tally.ok += 1;
    expect(request.success, `${where}: accepted a request its schema refuses`).toBe(true);
    const parsed = channels[channel].res.safeParse(result.data);
    expect(parsed.success, `${where}: answer does not match the response schema: ${parsed.error?.message}`).toBe(true);
  } else {
    const { code, message } = result.error;
    tally.codes[code] = (tally.codes[code] ?? 0) + 1;
    expect(ERROR_CODES, where).toContain(code);
    expect(code, `${where} -> ${message}`).not.toBe('internal');
    expect(typeof message, where).toBe('string');
    if (request.success && !decide(role, channel, request.data).allowed) expect(code, `${where}: the role must refuse it`).toBe('read_only');
    const after = snapshot(sb.runtime, before);
    expect(after.tables, `${where} -> ${code}: a refused call changed a table`).toEqual(before.tables);
    expect(after.settings, `${where} -> ${code}: a refused call changed the settings`).toEqual(before.settings);
    expect(after.vault, `${where} -> ${code}: a refused call changed the vault`).toBe(before.vault);
  }
  // Every mutation attempt is audited once, whatever its outcome; a read never is.
  const audited = auditSince(sb.runtime, before);
  if (isMutating(channel)) {
    expect(audited.map((e) => [e.action, e.role]), `${where}: audit`).toEqual([[channel, role]]);
    const outcome = audited[0]!.outcome;
    if (result.ok) expect(outcome, where).toBe('ok');
    else if (result.error.code === 'read_only' || result.error.code === 'invalid_input') expect(outcome, where).toBe('refused');
    else expect(['refused', 'error'], where).toContain(outcome);
  } else {
    expect(audited, `${where}: a read was audited`).toEqual([]);
  }
}

async function fuzzChannel(role: Role, channel: Channel, runs: number): Promise<Tally> {
  const tally: Tally = { sent: 0, valid: 0, ok: 0, codes: {} };
  await fc.assert(
    fc.asyncProperty(payloadArbitrary(channels[channel].req, hints), (generated) => fuzzOne(role, channel, generated, tally)),
    { numRuns: runs, seed: 20261129 },
  );
  const line = `${role.padEnd(8)} ${channel.padEnd(18)} sent ${String(tally.sent).padStart(4)}  valid ${String(tally.valid).padStart(4)}  ok ${String(tally.ok).padStart(4)}  ${JSON.stringify(tally.codes)}`;
  console.log(`fuzz ${line}`);
  expect(tally.valid * 3, `${role} ${channel}: only ${tally.valid} of ${tally.sent} payloads passed validation`).toBeGreaterThanOrEqual(tally.sent);
  return tally;
}

const runsAsOperator = (c: Channel) => SLOW_RUNS[c] ?? OTHER_RUNS;
const operatorTallies = new Map<Channel, Tally>();

describe('fuzzing every channel from its schema over HTTP, as operator', () => {
  // One test per channel: its own timeout, and a failure names the channel.
  for (const channel of CHANNELS) {
    it(`${channel}: ${runsAsOperator(channel)} payloads, a third or more valid, typed answers, refusals change nothing`, async () => {
      operatorTallies.set(channel, await fuzzChannel('operator', channel, runsAsOperator(channel)));
    });
  }

  it(`sent ${OPERATOR_TOTAL}+ payloads in all, and the mutating handlers really ran`, async () => {
    expect([...operatorTallies.keys()]).toEqual(CHANNELS);
    const total = [...operatorTallies.values()].reduce((n, t) => n + t.sent, 0);
    expect(total).toBeGreaterThanOrEqual(OPERATOR_TOTAL);
    for (const channel of MUST_SUCCEED) expect(operatorTallies.get(channel)!.ok, `${channel} never succeeded as operator`).toBeGreaterThan(0);
    // Still up and answering.
    expect((await sb.post('app:info', '{}')).result.ok).toBe(true);
  });
});

describe('fuzzing every channel from its schema over HTTP, as support', () => {
  for (const channel of CHANNELS) {
    it(`${channel}: ${SUPPORT_RUNS} payloads; what the permission table forbids is refused read_only and changes nothing`, async () => {
      const tally = await fuzzChannel('support', channel, SUPPORT_RUNS);
      if (isMutating(channel) && channel !== 'settings:update') {
        expect(tally.ok, `support succeeded at ${channel}`).toBe(0);
        expect(tally.codes.read_only ?? 0, `${channel}: every valid request refused by role`).toBe(tally.valid);
      }
    });
  }
});
