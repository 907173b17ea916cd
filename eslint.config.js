// Layer rules (DESIGN §1): renderer -> shared <- electron/core <- electron/{main,server,cli,sim}.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const noElectron = {
  name: 'electron',
  message: 'Only electron/main and electron/preload may import electron: core and shared run in plain Node and the browser.',
};
const noElectronPatterns = [
  { group: ['electron/*', 'electron-store', '@electron/*'], message: noElectron.message },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist-web/', 'test-artifacts/', 'bench/results/'] },
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
    files: ['electron/core/**', 'shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: noElectronPatterns }],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            ...noElectronPatterns,
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'child_process'], message: 'shared/ runs in the browser too: no Node modules.' },
            { group: ['../electron/*', '../renderer/*'], message: 'shared/ depends on nothing in the project.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/sim/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            ...noElectronPatterns,
            { group: ['**/core', '**/core/*', '**/core/**'], message: 'The simulators are an independent implementation of the clouds: never import electron/core.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            ...noElectronPatterns,
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node modules.' },
            {
              regex: '^\\.\\./(\\.\\./)*(electron|test|bench|scripts)(/|$)',
              message: 'The renderer may import only shared/ (and its own files and packages): talk to the main process through OutpostApi.',
            },
          ],
        },
      ],
    },
  },
);
