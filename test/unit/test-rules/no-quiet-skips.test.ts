// Nothing skips quietly. A test may skip only because something from outside the repository is
// missing, through requiredFile() — which fails instead under CI — and `npm test` counts and names
// every skipped test (and fails under CI when there is one).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requiredFile } from '../../fixtures/required';
import { isCi, skippedTests, skipVerdict } from '../../../scripts/test-report.mjs';
import { REPO, testSourceLines, where } from './test-files';

describe('requiredFile', () => {
  const missing = join(REPO, 'no-such-dir', 'hetzner-cloud.spec.json');

  it('is true for a file that exists, in and out of CI', () => {
    expect(requiredFile(join(REPO, 'package.json'), 'package.json', 'n/a', false)).toBe(true);
    expect(requiredFile(join(REPO, 'package.json'), 'package.json', 'n/a', true)).toBe(true);
  });

  it('lets a test skip outside CI', () => {
    expect(requiredFile(missing, 'The official API document', 'Fetch it.', false)).toBe(false);
  });

  it('fails under CI, naming what is missing, where, and how to get it', () => {
    expect(() => requiredFile(missing, 'The official API document hetzner-cloud.spec.json', 'Put the shared specs next to the repository.', true)).toThrow(
      /The official API document hetzner-cloud\.spec\.json is missing: .*no-such-dir.* Put the shared specs next to the repository\. \(CI=true/,
    );
  });
});

describe('npm test counts skipped tests', () => {
  // The shape vitest's JSON reporter writes (checked against a real run of it.skip / skipIf / ctx.skip / todo).
  const report = {
    testResults: [
      {
        name: `${process.cwd()}/test/unit/x.test.ts`,
        assertionResults: [
          { status: 'passed', fullName: 'runs' },
          { status: 'skipped', fullName: 'skipped one' },
          { status: 'skipped', fullName: 'group inner' },
          { status: 'todo', fullName: 'todo one' },
          { status: 'failed', fullName: 'fails' },
        ],
      },
    ],
  };

  it('lists every test that did not run, with its file', () => {
    expect(skippedTests(report)).toEqual([
      'skipped: skipped one (test/unit/x.test.ts)',
      'skipped: group inner (test/unit/x.test.ts)',
      'todo: todo one (test/unit/x.test.ts)',
    ]);
    expect(skippedTests({ testResults: [] })).toEqual([]);
  });

  it('fails under CI when anything was skipped, and only reports it elsewhere', () => {
    const skipped = skippedTests(report);
    expect(skipVerdict(skipped, true)).toMatchObject({ ok: false, message: expect.stringMatching(/CI=true and 3 test\(s\) were skipped/) });
    expect(skipVerdict(skipped, false)).toMatchObject({ ok: true, message: expect.stringMatching(/^3 test\(s\) skipped/) });
    expect(skipVerdict([], true)).toEqual({ ok: true, message: '0 tests skipped.' });
  });

  it('recognises CI the way CI services set it', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });

  it('runs every vitest step through the report (scripts/test.mjs)', () => {
    const script = readFileSync(join(REPO, 'scripts/test.mjs'), 'utf8');
    for (const project of ['unit', 'integration', 'reliability', 'security', 'e2e']) expect(script, project).toContain(`vitest('${project}')`);
    expect(script).toContain('skipVerdict(allSkipped, isCi())');
  });
});

describe('the test sources', () => {
  const lines = testSourceLines().filter((l) => !l.file.startsWith('test/unit/test-rules/'));

  it('never skip unconditionally (it.skip, describe.skip, test.skip, .todo)', () => {
    const found = lines.filter((l) => /\b(it|test|describe)\.(skip|todo)\b|\bxit\(|\bxdescribe\(/.test(l.text)).map(where);
    expect(found).toEqual([]);
  });

  it('skip conditionally only when requiredFile() says something outside the repository is missing, or on another OS', () => {
    const conditional = lines.filter((l) => /\.skipIf\(|\.runIf\(|\bctx\.skip\(|\bcontext\.skip\(/.test(l.text));
    // A platform condition is allowed (CI runs Linux, where these run; elsewhere npm test counts them).
    const unjustified = conditional.filter((l) => !/requiredFile\(|SPECS_PRESENT|process\.platform/.test(l.text)).map(where);
    expect(unjustified).toEqual([]);
    // SPECS_PRESENT is requiredFile()'s answer, nothing else.
    const validator = testSourceLines().filter((l) => l.file === 'test/integration/sim/spec-validator.ts' && /SPECS_PRESENT =/.test(l.text));
    expect(validator).toHaveLength(1);
    expect(testSourceLines().some((l) => l.file === 'test/integration/sim/spec-validator.ts' && /requiredFile\(path\.join\(SPECS_DIR/.test(l.text))).toBe(true);
  });
});
