// Best-effort download of the Electron runtime. Electron >= 42 has no install script of its own,
// and offline machines (CI, this team's sandboxes) cannot reach GitHub: the install must still pass.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const tag = '[postinstall:electron]';
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

function done(ok, reason) {
  if (ok) {
    console.log(`${tag} Electron runtime is in place (${seconds()}s).`);
  } else {
    console.log(
      `${tag} NOTE: the Electron runtime was not downloaded (${reason}; ${seconds()}s). ` +
        'The install itself succeeded: building, type-checking, the tests and browser mode (`npm run web`) ' +
        'work without it, and `npm start` serves browser mode instead of opening a window. ' +
        'To run the desktop app, on a machine with internet access run: node node_modules/electron/install.js',
    );
  }
  process.exit(0);
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) done(false, 'ELECTRON_SKIP_BINARY_DOWNLOAD is set');

let installJs;
try {
  const require = createRequire(import.meta.url);
  installJs = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  done(false, 'the electron package is not installed');
}
if (existsSync(join(dirname(installJs), 'path.txt'))) done(true);
if (!existsSync(installJs)) done(false, 'electron/install.js is missing');

const timeoutMs = Number(process.env.ELECTRON_DOWNLOAD_TIMEOUT_MS ?? 600_000);
const child = spawn(process.execPath, [installJs], { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (chunk) => (stderr += chunk));
const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
child.on('error', (err) => done(false, err.message));
child.on('exit', (code) => {
  clearTimeout(timer);
  if (code === 0) return done(true);
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => /error|fail/i.test(l));
  done(false, line ? line.slice(0, 160) : `install.js exited with ${code ?? 'a timeout'}`);
});
