// No test or benchmark waits a fixed time for something to happen: it waits for the thing — waitUntil
// or pollUntil (test/fixtures/wait-until.ts), Playwright's locators and auto-waiting expect, or a
// virtual clock (test/fixtures/virtual-time.ts). So every timer and every event-loop yield in test/
// and bench/ is flagged, whatever its duration or shape (a `delay()` helper still has to call one),
// except a deadline (a timer that only rejects the wait it bounds). The few that are not waits are
// listed in ALLOWED, and each says why at its line, in a `// not a sleep: <why>` comment. A new pause
// fails here, named by file and line, until it becomes a wait for its condition or joins the list.
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, sourceLines, where, type SourceLine } from './test-files';

const DIRS = ['test', 'bench'];
/** This file, whose examples below are pauses on purpose. */
const SELF = 'test/unit/test-rules/no-fixed-sleeps.test.ts';

/**
 * A timer or a yield: setTimeout, setImmediate, nextTick (global, not another object's method such as
 * `req.setTimeout`), a sleep() call (not a virtual clock's `vt.sleep`), Playwright's waitForTimeout,
 * node:timers/promises, Atomics.wait.
 */
const PAUSE = /(?:^|[^\w$.])(?:setTimeout|setImmediate|nextTick|sleep)\(|\b(?:globalThis|window|global|process)\.(?:setTimeout|setImmediate|nextTick)\(|\bwaitForTimeout\(|timers\/promises|\bAtomics\.wait\(/;
/** A deadline, not a pause: a timer whose only act is to fail the wait it bounds (it never delays a passing test). */
const DEADLINE = /setTimeout\(\s*\(\)\s*=>\s*reject\(/;
const isPause = (text: string) => PAUSE.test(text) && !DEADLINE.test(text);

/** The pauses that are not waits: by file and a piece of the line's text, each matching exactly one line. */
const ALLOWED: { file: string; text: string; why: string }[] = [
  { file: 'test/fixtures/wait-until.ts', text: 'setTimeout(r, everyMs)', why: "pollUntil's pause between two checks of the condition: the poll every wait goes through" },
];

const MARKER = /\/\/ not a sleep: \S/;

/** What is wrong with the pauses in `lines` (empty: nothing). */
function problems(lines: SourceLine[]): string[] {
  const pauses = lines.filter((l) => l.file !== SELF && isPause(l.text));
  const listed = (l: SourceLine) => ALLOWED.some((a) => a.file === l.file && l.text.includes(a.text));
  const lineAt = new Map(lines.map((l) => [`${l.file}:${l.line}`, l.text]));
  const explained = (l: SourceLine) => MARKER.test(l.text) || MARKER.test(lineAt.get(`${l.file}:${l.line - 1}`) ?? '');
  return [
    ...pauses.filter((l) => !listed(l)).map((l) => `a fixed pause (wait for the condition instead): ${where(l)}`),
    ...pauses.filter((l) => listed(l) && !explained(l)).map((l) => `no "// not a sleep: <why>" comment at: ${where(l)}`),
    ...ALLOWED.map((a) => ({ a, n: pauses.filter((l) => l.file === a.file && l.text.includes(a.text)).length }))
      .filter(({ n }) => n !== 1)
      .map(({ a, n }) => `allow-list entry ${a.file} "${a.text}" matches ${n} pauses, not exactly one`),
  ];
}

describe('test and bench sources', () => {
  it('pause only where the allow-list says why it is not a sleep', () => {
    expect(problems(sourceLines(REPO, DIRS))).toEqual([]);
  });

  it('recognise every shape of pause, and not a deadline, a method of another object or a virtual clock', () => {
    const flagged = isPause;
    for (const pause of [
      'await page.waitForTimeout(150);',
      'await new Promise((r) => setTimeout(r, 20));',
      'await new Promise((resolve) => setTimeout(resolve, delayMs));',
      'setTimeout(() => ac.abort(), 5);',
      'await new Promise((r) => setImmediate(r));',
      'await new Promise((r) => process.nextTick(r));',
      'await new Promise((r) => globalThis.setTimeout(r, 1));',
      'await sleep(100); // poll: until the delete action finishes',
      "import { setTimeout as delay } from 'node:timers/promises';",
      'Atomics.wait(view, 0, 0, 50);',
    ]) {
      expect(flagged(pause), pause).toBe(true);
    }
    for (const wait of [
      'await waitUntil(() => done, "done");',
      'req.setTimeout(10_000, () => req.destroy());',
      'return vt.sleep(ms, signal);',
      'const s = recordingSleep();',
      'const timer = setTimeout(() => reject(new Error(`no URL in time:\\n${out}`)), 45_000);',
    ]) {
      expect(flagged(wait), wait).toBe(false);
    }
  });

  it('fail on pauses planted in a copy of the tree: a new one, a second one in a listed file, one that only claims a reason', () => {
    const copy = mkdtempSync(join(tmpdir(), 'outpost-no-sleeps-'));
    try {
      for (const dir of DIRS) cpSync(join(REPO, dir), join(copy, dir), { recursive: true, filter: (src) => !/[/\\](node_modules|artifacts)$/.test(src) });
      // Judged against the copy as it was, so the proof stands whatever the tree holds meanwhile.
      const before = problems(sourceLines(copy, DIRS));
      writeFileSync(join(copy, 'test/integration/planted.test.ts'), "it('waits', async () => {\n  await new Promise((r) => setTimeout(r, 50));\n});\n");
      appendFileSync(join(copy, 'test/fixtures/wait-until.ts'), '// not a sleep: planted\nexport const again = () => new Promise((r) => setTimeout(r, everyMs));\n');
      appendFileSync(join(copy, 'bench/lib/stats.ts'), 'export const settle = () => sleep(20); // not a sleep: planted, but not on the list\n');
      expect(problems(sourceLines(copy, DIRS)).filter((p) => !before.includes(p))).toEqual([
        expect.stringMatching(/^a fixed pause .*: test\/integration\/planted\.test\.ts:2: await new Promise\(\(r\) => setTimeout\(r, 50\)\);$/),
        expect.stringMatching(/^a fixed pause .*: bench\/lib\/stats\.ts:\d+: export const settle = \(\) => sleep\(20\);/),
        'allow-list entry test/fixtures/wait-until.ts "setTimeout(r, everyMs)" matches 2 pauses, not exactly one',
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('fail on a listed pause that does not say why, and on a listed pause that is gone', () => {
    const bare: SourceLine[] = [{ file: 'test/fixtures/wait-until.ts', line: 9, text: '    await new Promise((r) => setTimeout(r, everyMs));' }];
    expect(problems(bare)).toEqual(['no "// not a sleep: <why>" comment at: test/fixtures/wait-until.ts:9: await new Promise((r) => setTimeout(r, everyMs));']);
    expect(problems([])).toEqual(['allow-list entry test/fixtures/wait-until.ts "setTimeout(r, everyMs)" matches 0 pauses, not exactly one']);
  });
});
