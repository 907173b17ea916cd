// The start-up check of live credentials: a refusal by the API blocks live mode; an API that cannot
// be reached does not (the credentials may be fine) — the run goes on and says it could not check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLive, type EnvCredentials } from '../../../electron/boot/live-access';
import { LiveUnavailableError } from '../../../electron/boot/live-unavailable';
import { silentLogger } from '../../../electron/core/log';
import { MemorySettings } from '../../../electron/core/settings';
import { startSimulator, type RunningSimulator } from '../../../electron/sim';
import { SimControl } from '../../../electron/sim/control';

let sim: RunningSimulator;
let control: SimControl;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, timeScale: 0.01, seed: 21 });
  control = new SimControl(sim.url);
});
afterAll(() => sim.close());

const env = (over: Partial<NonNullable<EnvCredentials['endpoints']>> = {}): EnvCredentials => ({
  endpoints: {
    hetznerUrl: sim.hetznerUrl,
    hetznerToken: sim.credentials.hetznerToken,
    tailscaleUrl: sim.tailscaleUrl,
    tailscaleClientId: sim.credentials.tailscaleClientId,
    tailscaleClientSecret: sim.credentials.tailscaleClientSecret,
    tailscaleTags: sim.credentials.tailscaleTags,
    ...over,
  },
  error: null,
});
// Environment credentials: the vault is never consulted, so no TokenService is needed.
const resolve = (e: EnvCredentials) =>
  resolveLive({ requestedBy: 'environment', env: e, tokens: null as never, settings: new MemorySettings(), urls: { hetznerUrl: sim.hetznerUrl, tailscaleUrl: sim.tailscaleUrl }, log: silentLogger });

describe('live credentials checked at start', () => {
  it('accepted credentials are used as they are, with nothing to report', async () => {
    const r = await resolve(env());
    expect(r.endpoints.hetznerToken).toBe(sim.credentials.hetznerToken);
    expect(r.notices).toEqual([]);
  });

  it('a Hetzner outage at start does not block live mode; it is reported', async () => {
    await control.addFault({ method: 'GET', path: '/hetzner/v1/locations*', status: 503, count: 1 });
    const r = await resolve(env());
    expect(r.endpoints.hetznerUrl).toBe(sim.hetznerUrl);
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatch(/^The live credentials could not be checked at start: The Hetzner API at .* is having trouble/);
  });

  it('a token the API refuses blocks live mode, saying which variable to fix', async () => {
    const err = await resolve(env({ hetznerToken: 'refusedToken0123456789abcdef' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveUnavailableError);
    expect((err as LiveUnavailableError).unavailable).toMatchObject({ requestedBy: 'environment', reason: expect.stringMatching(/^Hetzner refused the token/) });
    expect((err as LiveUnavailableError).hint).toMatch(/^Fix OUTPOST_HETZNER_TOKEN/);
    expect(JSON.stringify(err) + String((err as Error).message)).not.toContain('refusedToken0123456789abcdef');
  });
});
