// Where this copy of Outpost is installed, for the files that sit beside the code (dist-web/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const isOutposts = (manifest: string): boolean => {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'outpost';
  } catch {
    return false;
  }
};

/**
 * The nearest folder above `from` holding Outpost's own package.json. A fixed `../..` would be
 * right for only one of the places this code runs from: the sources (electron/cli/…) or the build,
 * where the bundler moves it into out/main/cli.js or one of its chunks. Found from the code's own
 * location, never from the current directory, so a folder the command is started in cannot stand in.
 */
export function installDir(from: string = import.meta.url): string {
  const start = dirname(fileURLToPath(from));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOutposts(manifest)) return dir;
    if (dirname(dir) === dir) throw new Error(`Outpost's package.json is not in ${start} or any folder above it. Reinstall Outpost (npm install).`);
  }
}
