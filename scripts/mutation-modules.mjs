// The modules under mutation testing, the files that make each, and the tests aimed at each: where a
// silent bug costs money or leaks a secret. Each module is its own Stryker run (run-mutation.mjs sets
// OUTPOST_MUTATION_MODULE; stryker.config.mjs and vitest.mutation.config.ts read it): with one run over
// all of them, every pipeline test reaches every module, so each mutant re-ran the whole pipeline
// suite (measured: ~12 h estimated on this 2-core machine). render-mutation.mjs scores them per module.
// `isolate: false` (vitest.mutation.config.ts) lets a module's test files share one module graph per
// mutant run; only where the code under test keeps no module state. Stryker starts a fresh worker
// for every mutant run, so nothing is shared between mutants. `testTimeout` (default 60 s, for the
// integration files) bounds each test. `postgres: true`: the tests need a PostgreSQL cluster (vitest.mutation.config.ts).
export const MUTATION_MODULES = [
  {
    slug: 'guard',
    module: 'permission guard',
    files: ['shared/permissions.ts', 'electron/core/services/guard.ts', 'electron/core/services/audit-detail.ts'],
    tests: ['test/unit/mutation-gaps/guard*.test.ts', 'test/unit/mutation-gaps/audit-detail*.test.ts', 'test/integration/trust/audit.test.ts', 'test/security/roles.test.ts'],
  },
  {
    slug: 'vault',
    module: 'vault',
    files: ['electron/core/vault/*.ts'],
    // Unit tests only (ms each; the scrypt 2^17 ones set their own limit): a mutant that makes one
    // hang (a promise never settled, an endless loop) fails at 10 s instead of running into Stryker's
    // timeout, which also restarts the test runner.
    testTimeout: 10_000,
    tests: ['test/unit/vault/**/*.test.ts', 'test/unit/tokens/service.test.ts', 'test/unit/mutation-gaps/vault*.test.ts'],
  },
  {
    slug: 'cloudinit',
    module: 'cloud-init renderer and validator',
    files: ['electron/core/cloudinit/*.ts'],
    // Pure functions, no module state: the test files may share one module graph per run. Every
    // example suite imports test/unit/cloudinit/fixtures.ts, which renders ~40 near-limit documents
    // on import (about a second here, measured); isolated, each mutant paid that once per file it ran.
    isolate: false,
    testTimeout: 10_000, // unit tests only, as for the vault
    // The example-based suites. The property suites (property, unicode.property: ~9 s of generated
    // cases) would re-run for every surviving mutant: 1 h 14 min estimated with them on this machine.
    tests: [
      'test/unit/cloudinit/injection.test.ts',
      'test/unit/cloudinit/pyyaml.test.ts',
      'test/unit/cloudinit/userData.test.ts',
      'test/unit/cloudinit/topLevelKeys.test.ts',
      'test/unit/cloudinit/redactUserData.test.ts',
      'test/unit/mutation-gaps/cloudinit*.test.ts',
    ],
  },
  {
    slug: 'compensation',
    module: 'compensation and cleanup',
    files: ['electron/core/provisioning/compensate.ts', 'electron/core/provisioning/cleanup.ts'],
    tests: ['test/unit/mutation-gaps/cleanup.test.ts', 'test/unit/mutation-gaps/compensate.test.ts', 'test/unit/mutation-gaps/failure-of.test.ts', 'test/integration/pipeline/faults.test.ts'],
    // faults.test.ts runs on SQLite and PostgreSQL: the run starts the integration project's cluster.
    postgres: true,
  },
  {
    slug: 'servers',
    module: 'ensureServer (servers.ts)',
    files: ['electron/core/hetzner/servers.ts'],
    tests: ['test/unit/hetzner/servers.test.ts', 'test/integration/clients/hetzner-faults.test.ts', 'test/unit/mutation-gaps/servers*.test.ts'],
  },
  {
    slug: 'payments',
    module: 'payments recording',
    files: ['electron/core/payments/record.ts'],
    tests: ['test/integration/trust/exactly-once.test.ts', 'test/unit/mutation-gaps/payments*.test.ts'],
  },
];

/** The module a run is limited to (OUTPOST_MUTATION_MODULE=<slug>), or all of them. */
export function selectedModules(env = process.env) {
  const slug = env.OUTPOST_MUTATION_MODULE;
  if (!slug) return MUTATION_MODULES;
  const found = MUTATION_MODULES.filter((m) => m.slug === slug);
  if (found.length === 0) throw new Error(`OUTPOST_MUTATION_MODULE=${slug} is not one of ${MUTATION_MODULES.map((m) => m.slug).join(', ')}`);
  return found;
}

/** True when `file` (repository-relative, forward slashes) is one of `patterns` (a path, or `dir/*.ts`). */
export function matches(file, patterns) {
  return patterns.some((p) => (p.endsWith('/*.ts') ? file.startsWith(p.slice(0, -4)) && file.endsWith('.ts') && !file.slice(p.length - 4).includes('/') : file === p));
}
