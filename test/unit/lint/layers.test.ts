// The layer table in eslint.config.js, proven through ESLint's own API on the real config: every
// forbidden edge of DESIGN §1 fails lint, and the edges the app needs pass.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let eslint: ESLint;

// Loading the config (typescript-eslint and its parser) takes seconds on a busy machine: do it once
// here, with room, so each case measures only its own lint.
beforeAll(async () => {
  // The cases are virtual files (not in any tsconfig), so the type-aware rules' parser setup is
  // switched off for them; the layer rule needs no types.
  eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { project: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/await-thenable': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
  await eslint.lintText('export {};\n', { filePath: path.join(root, 'electron/core/warm-up.ts') });
}, 60_000);

/** The layer-rule messages for `code` as if it were the file at `file` (repo-relative). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const messages = result?.messages ?? [];
  // A parse error would hide every rule: fail on it rather than read it as "allowed".
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

const use = (name: string) => `\nexport const used = ${name};\n`;

// [file, import statement, what the message must say]
const forbidden: [string, string, RegExp][] = [
  ['electron/core/x.ts', `import { x } from '../main/window';${use('x')}`, /electron\/main is not below it/],
  ['electron/core/x.ts', `import { x } from '../boot/runtime';${use('x')}`, /electron\/boot is not below it/],
  ['electron/core/x.ts', `import { x } from '../sim';${use('x')}`, /electron\/sim is not below it/],
  ['electron/core/fleet/x.ts', `import { x } from '../../sim/index';${use('x')}`, /electron\/sim is not below it/],
  ['electron/core/x.ts', `import { x } from '../server/web-server';${use('x')}`, /electron\/server is not below it/],
  ['electron/core/x.ts', `import { x } from '../cli/main';${use('x')}`, /electron\/cli is not below it/],
  ['electron/core/x.ts', `import { x } from '../../test/fixtures/x';${use('x')}`, /test is not below it/],
  ['electron/core/x.ts', `import { app } from 'electron';${use('app')}`, /only electron\/main and electron\/preload import electron/],
  ['electron/core/x.ts', `export { x } from '../main/window';`, /electron\/main is not below it/],
  ['electron/core/x.ts', `export * from '../boot/runtime';`, /electron\/boot is not below it/],
  ['electron/core/x.ts', `export const m = () => import('../main/window');`, /electron\/main is not below it/],
  ['electron/core/x.ts', `import type { X } from '../main/window';\nexport type Y = X;`, /electron\/main is not below it/],
  ['electron/boot/x.ts', `import { x } from '../main/window';${use('x')}`, /electron\/main is not below it/],
  ['electron/boot/x.ts', `import { x } from '../server/web-server';${use('x')}`, /electron\/server is not below it/],
  ['electron/boot/x.ts', `import { x } from '../cli/main';${use('x')}`, /electron\/cli is not below it/],
  ['electron/server/x.ts', `import { x } from '../main/window';${use('x')}`, /electron\/main is not below it/],
  ['electron/main/x.ts', `import { x } from '../cli/main';${use('x')}`, /electron\/cli is not below it/],
  ['shared/x.ts', `import { x } from '../electron/core/dispatch';${use('x')}`, /electron\/core is not below it/],
  ['shared/x.ts', `import { x } from '../renderer/src/main';${use('x')}`, /renderer is not below it/],
  ['shared/x.ts', `import fs from 'node:fs';${use('fs')}`, /Node modules do not exist/],
  ['shared/x.ts', `import fs from 'fs';${use('fs')}`, /Node modules do not exist/],
  ['shared/x.ts', `import { app } from 'electron';${use('app')}`, /only electron\/main and electron\/preload/],
  ['electron/sim/x.ts', `import { x } from '../core/log';${use('x')}`, /electron\/core is not below it/],
  ['electron/sim/hetzner/x.ts', `import { x } from '../../core/hetzner/http';${use('x')}`, /electron\/core is not below it/],
  ['electron/sim/x.ts', `import { x } from '../cli/commands/sim';${use('x')}`, /electron\/cli is not below it/],
  ['electron/sim/x.ts', `import { x } from '../boot/runtime';${use('x')}`, /electron\/boot is not below it/],
  ['renderer/src/x.tsx', `import { x } from '../../electron/core/dispatch';${use('x')}`, /electron\/core is not below it/],
  ['renderer/src/x.tsx', `import type { X } from '../../electron/core/ports';\nexport type Y = X;`, /electron\/core is not below it/],
  ['renderer/src/x.tsx', `import { x } from '../../test/fixtures/x';${use('x')}`, /test is not below it/],
  ['renderer/src/x.tsx', `import path from 'node:path';${use('path')}`, /Node modules do not exist/],
  ['renderer/src/x.tsx', `import { ipcRenderer } from 'electron';${use('ipcRenderer')}`, /only electron\/main and electron\/preload/],
  ['electron/preload/x.ts', `import { x } from '../main/ipc';${use('x')}`, /electron\/main is not below it/],
  ['electron/preload/x.ts', `import { CHANNELS } from '../../shared/contract';${use('CHANNELS')}`, /only its types may be imported/],
  ['electron/preload/x.ts', `import { z } from 'zod';${use('z')}`, /may import only the packages \[\]/],
  ['electron/preload/x.ts', `import path from 'node:path';${use('path')}`, /Node modules do not exist/],
  ['scripts/x.mjs', `import { x } from '../electron/core/log';${use('x')}`, /electron\/core is not below it/],
  ['bin/x.mjs', `import { x } from '../electron/core/log';${use('x')}`, /electron\/core is not below it/],
  ['bin/x.mjs', `import { x } from '../electron/cli/main.ts';${use('x')}`, /electron\/cli is not below it/],
  ['bin/x.mjs', `import { register } from 'tsx/esm/api';${use('register')}`, /may import only the packages \[\]/],
];

const allowed: [string, string][] = [
  ['electron/core/x.ts', `import { x } from '../../shared/errors';${use('x')}`],
  ['electron/core/hetzner/x.ts', `import { x } from '../fleet/watch';${use('x')}`],
  ['electron/core/x.ts', `import fs from 'node:fs';${use('fs')}`],
  ['electron/sim/x.ts', `import { x } from '../../shared/errors';${use('x')}`],
  ['electron/boot/x.ts', `import { x } from '../core/services';\nimport { y } from '../sim';\nimport { z } from '../../shared/domain';\nexport const used = [x, y, z];`],
  ['electron/main/x.ts', `import { app } from 'electron';\nimport { x } from '../boot/runtime';\nexport const used = [app, x];`],
  ['electron/server/x.ts', `import { x } from '../boot/runtime';\nimport { y } from '../core/dispatch';\nexport const used = [x, y];`],
  ['electron/cli/commands/x.ts', `import { x } from '../../server/web-server';\nimport { y } from '../../sim/flags';\nexport const used = [x, y];`],
  ['electron/preload/x.ts', `import { contextBridge } from 'electron';\nimport { CHANNEL_NAMES } from '../../shared/channel-names';\nexport const used = [contextBridge, CHANNEL_NAMES];`],
  ['electron/preload/x.ts', `import type { Channel } from '../../shared/contract';\nexport type C = Channel;`],
  ['electron/preload/x.ts', `import { type Channel, type OutpostApi } from '../../shared/contract';\nexport type C = [Channel, OutpostApi];`],
  ['renderer/src/x.tsx', `import { useState } from 'react';\nimport { x } from '../../shared/contract';\nexport const used = [useState, x];`],
  ['test/unit/x.test.ts', `import { x } from '../../electron/main/window';\nimport { y } from '../../renderer/src/main';\nexport const used = [x, y];`],
  ['bench/x.ts', `import { x } from '../electron/core/services';\nimport { y } from '../test/fixtures/x';\nexport const used = [x, y];`],
  ['bin/x.mjs', `import { existsSync } from 'node:fs';\nimport { x } from '../out/main/cli.js';\nexport const used = [existsSync, x];`],
];

describe('layer lint (eslint.config.js LAYERS)', () => {
  it.each(forbidden)('%s: %s fails lint', async (file, code, says) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(says);
  });

  it.each(allowed)('%s: %s passes', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
