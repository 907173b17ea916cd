// Layer rules (DESIGN §1): the LAYERS table below, enforced by eslint/layers.js.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { layersPlugin } from './eslint/layers.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The layers, as one table (DESIGN §1): each may import only the layers it lists, i.e. the ones below
 * it: shared <- core <- boot <- main / server / cli; sim apart (an independent implementation of the
 * clouds, so a misunderstanding cannot hide by being shared between client and simulator); renderer
 * and preload see only shared. `electron: true` may import electron; `node: false` runs where Node
 * modules do not exist; `packages` lists the only packages allowed; `typesOnly` files may be imported
 * for their types alone. A layer's own files are always allowed.
 */
const LAYERS = {
  shared: { may: [], node: false, why: 'shared/ is imported by every layer, in Node and in the browser, so it depends on nothing.' },
  'electron/core': { may: ['shared'], why: 'All behaviour lives in core; the shells compose it, never the other way round.' },
  'electron/sim': { may: ['shared'], why: 'The simulators stand apart: never import core, the shells or their composition.' },
  'electron/boot': { may: ['electron/core', 'electron/sim', 'shared'], why: 'boot composes core for every shell (with the simulators in sandbox mode); the shells sit above it.' },
  'electron/main': { may: ['electron/boot', 'electron/core', 'shared'], electron: true, why: 'The Electron shell sits on boot.' },
  'electron/server': { may: ['electron/boot', 'electron/core', 'shared'], why: 'Browser mode is a shell on boot.' },
  // The command hosts browser mode (`outpost web`) and the simulators (`outpost sim`).
  'electron/cli': { may: ['electron/boot', 'electron/core', 'electron/server', 'electron/sim', 'shared'], why: 'The command is a shell on boot.' },
  'electron/preload': {
    may: ['shared'],
    electron: true,
    node: false,
    packages: [],
    typesOnly: ['shared/contract'],
    why: 'The sandboxed preload is one small bundle that can load nothing at run time: names come from shared/channel-names.ts, the contract only as types (its zod schemas would be bundled).',
  },
  renderer: { may: ['shared'], node: false, why: 'The renderer runs in a sandboxed page and reaches the main process only through OutpostApi.' },
  bin: { may: [], packages: [], why: 'bin/ only starts the compiled command (out/main/cli.js): importing the TypeScript sources or a runner such as tsx would run them unbuilt.' },
  scripts: { may: [], why: 'scripts/ run with plain Node before anything is built.' },
  test: { may: '*', electron: true, why: '' },
  bench: { may: '*', why: '' },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist-web/', 'release/', 'test-artifacts/', 'bench/results/', '.stryker-tmp/', 'reports/', '.scratch/', '.outpost-dev/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    // The store is async (Kysely, SQLite or PostgreSQL): a store call not awaited is a write racing the
    // next step, or a Promise read as a row. The type-aware rules catch both in core, its shells and the tests.
    files: ['electron/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['test/renderer/**'],
    languageOptions: { parserOptions: { project: './tsconfig.node.json', tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  {
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': ['error', { root, layers: LAYERS }] },
  },
  {
    files: ['renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/incompatible-library': 'off',
    },
  },
);
