import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `electron` cannot load here (no binary; importing it tries a download and kills the process), so
// every test sees a thin named-export stub instead. Only electron/main and electron/preload use it.
const electronStub = fileURLToPath(new URL('./test/stubs/electron.ts', import.meta.url));
// Projects whose tests spawn the `outpost` command build it first (skipped when out/ is current).
const builtCommand = fileURLToPath(new URL('./test/fixtures/built-command.ts', import.meta.url));
// The integration project runs the store's suites on SQLite and PostgreSQL: one throwaway cluster per run.
const postgresCluster = fileURLToPath(new URL('./test/fixtures/postgres.ts', import.meta.url));

export default defineConfig({
  resolve: { alias: { electron: electronStub } },
  test: {
    env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent-electron' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}', 'test/renderer/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: [builtCommand, postgresCluster],
          // Two files at a time even on two cores (vitest's default is cores − 1): most of these
          // tests wait on simulated clouds, child processes and PostgreSQL rather than compute
          // (on 2 cores: 400 s one at a time, 210 s two at a time, same results).
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'security',
          include: ['test/security/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          globalSetup: [builtCommand],
          // The soak forces a GC before reading memory.
          execArgv: ['--expose-gc'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
