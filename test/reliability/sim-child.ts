// The simulator in its own process for the soak (so its memory and CPU are not the measured
// process's), started with the full SimulatorOptions — `outpost sim` has no flag for a time profile,
// which the soak needs so auth keys outlive the run. Prints one JSON line, then serves until SIGTERM.
import { startSimulator, type SimulatorOptions } from '../../electron/sim';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const sim = await startSimulator({ ...options, port: 0 });
process.stdout.write(`${JSON.stringify({ hetznerUrl: sim.hetznerUrl, tailscaleUrl: sim.tailscaleUrl, ...sim.credentials })}\n`);
process.once('SIGTERM', () => void sim.close().then(() => process.exit(0)));
