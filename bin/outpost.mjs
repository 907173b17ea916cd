#!/usr/bin/env node
// The `outpost` command runs the TypeScript sources through tsx, so a fresh clone needs no build step.
//
// tsx would otherwise take the tsconfig.json of the directory the command is started in (or the
// one TSX_TSCONFIG_PATH names), and its `paths` can redirect Outpost's own imports to any file
// there: starting `outpost` inside a cloned repository would run that repository's code with
// access to the tokens. So the configuration is pinned to Outpost's own tsconfig, by absolute path.
// Everything else is already anchored here: modules resolve from the importing file, and nothing
// reads a package.json or .env from the current directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.node.json', import.meta.url)) });
await import('../electron/cli/main.ts');
