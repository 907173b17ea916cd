// Which mode a run is in, and for live mode the credentials it uses — or a refusal. Only an explicit
// request makes a run live (the option, the saved setting, or credentials in the environment), and
// every explicit request that cannot be honoured fails closed: no fallback to the simulated clouds.
import type { AppInfo } from '../../shared/domain';
import { OutpostError } from '../../shared/errors';
import type { CloudEndpoints } from '../core/clouds';
import type { Logger } from '../core/log';
import type { SettingsStore } from '../core/ports';
import type { TokenService } from '../core/tokens';
import { checkHetznerToken } from '../core/tokens/hetzner-check';
import { checkTailscaleClient } from '../core/tokens/tailscale-check';
import type { CheckOptions } from '../core/tokens/common';
import { vaultEndpoints, type LiveUrls } from './credentials';
import { liveUnavailable, type LiveRequestSource } from './live-unavailable';

type Mode = AppInfo['mode'];
export type ModeChoice = { mode: 'sandbox' } | { mode: 'live'; requestedBy: LiveRequestSource };

/** What the environment says: nothing, complete live credentials, or an incomplete set (an error). */
export type EnvCredentials = { endpoints: CloudEndpoints | null; error: OutpostError | null };

export function readEnvCredentials(read: () => CloudEndpoints | null): EnvCredentials {
  try {
    return { endpoints: read(), error: null };
  } catch (err) {
    if (err instanceof OutpostError) return { endpoints: null, error: err };
    throw err;
  }
}

/** The mode, and for live who asked for it. Without any request: sandbox, as always. */
export function chooseMode(option: Mode | undefined, settings: SettingsStore, env: EnvCredentials): ModeChoice {
  if (option === 'live') return { mode: 'live', requestedBy: 'option' };
  if (option === 'sandbox') return { mode: 'sandbox' };
  const saved = settings.get<string>('mode');
  if (saved === 'live') return { mode: 'live', requestedBy: 'setting' };
  if (saved === 'sandbox') return { mode: 'sandbox' };
  // Even an incomplete set of OUTPOST_* credentials is a request for live: it is refused, not ignored.
  return env.endpoints || env.error ? { mode: 'live', requestedBy: 'environment' } : { mode: 'sandbox' };
}

export interface LiveAccessInput {
  requestedBy: LiveRequestSource;
  env: EnvCredentials;
  tokens: TokenService;
  settings: SettingsStore;
  urls: LiveUrls;
  log: Logger;
  /** Test seam for the start-up check (fetch, timeouts). */
  check?: CheckOptions;
}

/** Short: every live start waits for it, and an unreachable API does not block (see below). */
const START_CHECK: CheckOptions = { timeoutMs: 5_000, retries: 0 };

/**
 * The live endpoints (environment first, for scripts; else the vault), each credential checked
 * against its API. A refusal (LiveUnavailableError) says why and what to do. An API that cannot be
 * reached is not a refusal — the credentials may be fine — so the run goes on and says so.
 */
export async function resolveLive(input: LiveAccessInput): Promise<{ endpoints: CloudEndpoints; notices: string[] }> {
  const { requestedBy, env } = input;
  if (env.error) throw liveUnavailable(requestedBy, env.error.code, env.error.message, env.error.hint ?? 'Set every OUTPOST_* credential variable (see the README).');
  const fromEnv = env.endpoints !== null;
  const endpoints = env.endpoints ?? (await vaultEndpoints(input.tokens, input.settings, requestedBy, input.urls));

  const opts = { ...START_CHECK, ...input.check };
  const [hetzner, tailscale] = await Promise.all([
    checkHetznerToken(endpoints.hetznerUrl, endpoints.hetznerToken, opts),
    checkTailscaleClient(endpoints.tailscaleUrl, endpoints.tailscaleClientId, endpoints.tailscaleClientSecret, opts),
  ]);
  const fix = (what: string, variable: string) =>
    fromEnv ? `Fix ${variable} (the environment's credentials are used before the stored ones).` : `Store a working ${what} in Settings → Tokens.`;
  if (hetzner.status === 'invalid') throw liveUnavailable(requestedBy, 'unauthorized', hetzner.message, fix('Hetzner token', 'OUTPOST_HETZNER_TOKEN'));
  if (tailscale.status === 'invalid') {
    throw liveUnavailable(requestedBy, 'unauthorized', tailscale.message, fix('Tailscale OAuth client', 'OUTPOST_TS_CLIENT_ID / OUTPOST_TS_CLIENT_SECRET'));
  }
  const notices = [hetzner, tailscale].filter((c) => c.status === 'unreachable').map((c) => `The live credentials could not be checked at start: ${c.message}`);
  for (const n of notices) input.log.warn('live credentials not checked', { reason: n });
  return { endpoints, notices };
}
