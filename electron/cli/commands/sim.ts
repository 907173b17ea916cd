import { SimControl } from '../../sim/control';
import { type SimFlags, applySimFlags, simFlagsHelp } from '../../sim/flags';
import { type RunningSimulator, startSimulator } from '../../sim/index';

export { simFlagsHelp, applySimFlags, type SimFlags };

export interface RunSimOptions extends SimFlags {
  port: number;
  json: boolean;
  timeScale?: number;
  seed?: number;
  stateFile?: string;
}

/** Starts the simulator and prints its base URLs and sandbox credentials (one JSON line with `json`). */
export async function runSim(opts: RunSimOptions, print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<RunningSimulator> {
  const sim = await startSimulator({ port: opts.port, timeScale: opts.timeScale, seed: opts.seed, stateFile: opts.stateFile });
  try {
    await applySimFlags(new SimControl(sim.url), opts);
  } catch (error) {
    await sim.close();
    throw error;
  }
  const c = sim.credentials;
  if (opts.json) {
    print(
      JSON.stringify({
        hetznerUrl: sim.hetznerUrl,
        tailscaleUrl: sim.tailscaleUrl,
        hetznerToken: c.hetznerToken,
        hetznerReadOnlyToken: c.hetznerReadOnlyToken,
        tailscaleClientId: c.tailscaleClientId,
        tailscaleClientSecret: c.tailscaleClientSecret,
        tailscaleTags: c.tailscaleTags,
      }),
    );
    return sim;
  }
  print(
    [
      'Outpost cloud simulator (sandbox) is running.',
      '',
      `  Hetzner Cloud API   ${sim.hetznerUrl}`,
      `  Tailscale API       ${sim.tailscaleUrl}   (append /api/v2/...)`,
      `  Control/inspection  ${sim.url}/_sim/state, /_sim/requests, /_sim/faults`,
      '',
      `  Hetzner token (read-write)  ${c.hetznerToken}`,
      `  Hetzner token (read-only)   ${c.hetznerReadOnlyToken}`,
      `  Tailscale OAuth client id   ${c.tailscaleClientId}`,
      `  Tailscale OAuth secret      ${c.tailscaleClientSecret}`,
      `  Tailscale tags              ${c.tailscaleTags.join(',')}`,
      '',
      'Use it with the official CLI:',
      `  HCLOUD_ENDPOINT=${sim.hetznerUrl} HCLOUD_TOKEN=${c.hetznerToken} hcloud server list`,
      opts.stateFile ? `State is kept in ${opts.stateFile}.` : 'State is kept in memory only (use --state-file to keep it).',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );
  return sim;
}
