// Running the simulators from a command line: `outpost sim` and the standalone electron/sim/main.ts
// both come here with their raw arguments, so the two cannot drift apart.
import { SimControl } from './control';
import { type SimArgs, applySimFaults, parseSimArgs, simUsage } from './flags';
import { type RunningSimulator, startSimulator } from './index';

export type Print = (line: string) => void;
const stdout: Print = (line) => process.stdout.write(`${line}\n`);

export type RunSimOptions = Omit<SimArgs, 'help' | 'faults'> & { faults?: Partial<SimArgs['faults']> };

/** Starts the simulator with its faults installed and prints its base URLs and sandbox credentials (one JSON line with `json`). */
export async function runSim(opts: RunSimOptions, print: Print = stdout): Promise<RunningSimulator> {
  const sim = await startSimulator({ port: opts.port, timeScale: opts.timeScale, seed: opts.seed, stateFile: opts.stateFile, ...(opts.progress ? { profile: { progress: opts.progress } } : {}) });
  try {
    // No control secret: `outpost sim` documents /_sim/ as open to loopback clients.
    await applySimFaults(new SimControl(sim.url), opts.faults ?? {});
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

/**
 * The whole command: parse (a bad flag throws an invalid_input OutpostError before anything
 * listens), print the usage for --help, else serve until SIGINT or SIGTERM, then exit 0.
 */
export async function simMain(argv: readonly string[], print: Print = stdout): Promise<RunningSimulator | null> {
  const { help, faults, ...opts } = parseSimArgs(argv);
  if (help) {
    print(simUsage);
    return null;
  }
  const sim = await runSim({ ...opts, faults }, print);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return sim;
}
