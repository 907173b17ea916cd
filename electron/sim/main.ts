// Standalone entry: `npx tsx electron/sim/main.ts --port 8787 [--json] …`, the same flags as
// `outpost sim` (both parsed by electron/sim/flags.ts).
import { OutpostError } from '../../shared/errors';
import { simMain } from './run';

try {
  await simMain(process.argv.slice(2));
} catch (error) {
  const hint = error instanceof OutpostError && error.hint ? `\n  ${error.hint}` : '';
  process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}${hint}\n`);
  process.exit(1);
}
