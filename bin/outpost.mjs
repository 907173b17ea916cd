#!/usr/bin/env node
// The `outpost` command: the compiled entry that `npm run build` writes (out/main/cli.js, a second
// entry of the desktop app's main build; `npm install` builds it). Plain JavaScript with its
// dependencies resolved from this install's node_modules: nothing is transpiled at run time, so no
// tsconfig.json, package.json or module of the directory the command is started in can take part.
// Without the build it says what to run; it never falls back to running the TypeScript sources.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  console.error(`outpost: the command is not built (${entry} is missing). Run \`npm run build\` in ${root} (npm install runs it too).`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
