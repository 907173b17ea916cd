// What `npm test` reads from a vitest JSON report: the tests that did not run (skipped, todo), and
// whether the run may pass with them. Kept apart from scripts/test.mjs so it can be tested.

/** Skipped and todo tests in a parsed vitest JSON report, as "status: full name (file)". */
export function skippedTests(report, cwd = process.cwd()) {
  const skipped = [];
  for (const file of report?.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'passed' && test.status !== 'failed') skipped.push(`${test.status}: ${test.fullName} (${String(file.name).replace(`${cwd}/`, '')})`);
    }
  }
  return skipped;
}

/** True when CI is set the way CI services set it (CI=true, or 1). */
export const isCi = (env = process.env) => /^(1|true|yes)$/i.test(env.CI ?? '');

/** Under CI a skipped test fails the run; elsewhere it is printed and counted. */
export function skipVerdict(skipped, ci) {
  if (skipped.length === 0) return { ok: true, message: '0 tests skipped.' };
  if (!ci) return { ok: true, message: `${skipped.length} test(s) skipped (under CI=true this fails).` };
  return { ok: false, message: `npm test: CI=true and ${skipped.length} test(s) were skipped; under CI every test must run (install what they name).` };
}
