// The tests StrykerJS runs (`npm run test:mutation`, stryker.config.mjs): only those aimed at the
// module under mutation (OUTPOST_MUTATION_MODULE), so each mutant costs seconds, not a whole suite. One flat project (the
// runner drives a single vitest instance), with the base config's electron alias and environment.
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { selectedModules } from './scripts/mutation-modules.mjs';
import base from './vitest.config';

const { projects: _projects, ...baseTest } = base.test ?? {};
const modules = selectedModules();

/**
 * Each mutant runs the tests that covered it, one file after another, and stops at the first
 * failure (bail). Vitest's default order runs the longest file first; for a mutant the cheapest
 * likely killer should go first: the file that killed the last mutant (neighbouring mutants fall to
 * the same test), then the shortest.
 */
class CheapestFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const key = (f: TestSpecification) => `${f.project.name}:${f.moduleId.slice(this.ctx.config.root.length + 1)}`;
    const rank = (f: TestSpecification): [number, number] => {
      const state = cache.getFileTestResults(key(f));
      if (state) return [state.failed ? 0 : 1, state.duration];
      return [1, cache.getFileStats(key(f))?.size ?? 0];
    };
    return Promise.resolve([...files].sort((a, b) => {
      const [fa, da] = rank(a);
      const [fb, db] = rank(b);
      return fa - fb || da - db;
    }));
  }
}

export default mergeConfig(
  { ...base, test: baseTest },
  defineConfig({
    test: {
      name: 'mutation',
      environment: 'node',
      // Only the tests aimed at the module under mutation (scripts/mutation-modules.mjs).
      include: modules.flatMap((m) => m.tests),
      // Shared module state between test files, where the module's tests allow it (mutation-modules.mjs says why).
      isolate: modules.every((m) => m.isolate !== false),
      sequence: { sequencer: CheapestFirst },
      // The integration files start simulators and SQLite stores; the slowest take tens of seconds on a
      // loaded machine. Modules tested by unit tests alone set less (mutation-modules.mjs says why).
      testTimeout: Math.max(...modules.map((m) => m.testTimeout ?? 60_000)),
      hookTimeout: 60_000,
      // Suites that run the store on both engines need the integration project's PostgreSQL cluster
      // (one per test runner process: vitest runs a global setup once per instance, not per mutant).
      globalSetup: modules.some((m) => m.postgres) ? [fileURLToPath(new URL('./test/fixtures/postgres.ts', import.meta.url))] : [],
    },
  }),
);
