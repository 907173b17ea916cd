// The tests StrykerJS runs (`npm run test:mutation`, stryker.config.mjs): only those aimed at the
// module under mutation (OUTPOST_MUTATION_MODULE), so each mutant costs seconds, not a whole suite. One flat project (the
// runner drives a single vitest instance), with the base config's electron alias and environment.
import { defineConfig, mergeConfig } from 'vitest/config';
import { selectedModules } from './scripts/mutation-modules.mjs';
import base from './vitest.config';

const { projects: _projects, ...baseTest } = base.test ?? {};

export default mergeConfig(
  { ...base, test: baseTest },
  defineConfig({
    test: {
      name: 'mutation',
      environment: 'node',
      // Only the tests aimed at the module under mutation (scripts/mutation-modules.mjs).
      include: selectedModules().flatMap((m) => m.tests),
      // The integration files start simulators and SQLite stores; the slowest take tens of seconds on a loaded machine.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }),
);
