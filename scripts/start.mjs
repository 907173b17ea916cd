// `npm start`: the desktop app when the Electron runtime is installed, otherwise browser mode
// with the URL to open (the runtime cannot be downloaded on offline machines).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureBuild } from './ensure-build.mjs';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathTxt = join(electronDir, 'path.txt');
const binary = existsSync(pathTxt) ? join(electronDir, 'dist', readFileSync(pathTxt, 'utf8').trim()) : null;

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

// Both ways run the build in out/ (the desktop app's bundles, and the command browser mode starts
// from): rebuilt here unless it is already the build of the current sources.
try {
  ensureBuild();
} catch (err) {
  console.error(`npm start: ${err.message}`);
  process.exit(1);
}

if (binary && existsSync(binary)) {
  const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'npm start: the Electron runtime is not installed here (it is downloaded on first install only where GitHub is ' +
      'reachable: node node_modules/electron/install.js). Serving browser mode instead: open the URL printed below.\n',
  );
  run('npm', ['run', '--silent', 'build:web']);
  const child = spawn(process.execPath, ['bin/outpost.mjs', 'web', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}
