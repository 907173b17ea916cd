// No test waits a fixed time for something to happen: it waits for the thing (waitUntil in
// test/fixtures/wait-until.ts, Playwright's locators, testing-library's waitFor, a virtual clock).
// A loop that samples or polls a condition may pause between checks; that line says so with a
// `// poll:` comment naming the condition, so a bare sleep stands out.
import { describe, expect, it } from 'vitest';
import { testSourceLines, where } from './test-files';

/** A pause of a literal number of milliseconds: waitForTimeout(n), setTimeout(r, n), sleep(n). */
const FIXED_PAUSE = /\bwaitForTimeout\(|\bsetTimeout\(\s*\w+\s*,\s*[1-9][\d_]*\s*\)|\bsleep\(\s*[1-9][\d_]*\s*\)/;

describe('test sources', () => {
  it('never pause for a fixed time outside a loop that polls a condition', () => {
    const offenders = testSourceLines()
      .filter((l) => !l.file.startsWith('test/unit/test-rules/'))
      .filter((l) => FIXED_PAUSE.test(l.text) && !/\/\/ poll: \S/.test(l.text))
      .map(where);
    expect(offenders).toEqual([]);
  });

  it('recognises the fixed pauses it forbids, and lets a marked poll through', () => {
    const flagged = (text: string) => FIXED_PAUSE.test(text) && !/\/\/ poll: \S/.test(text);
    expect(flagged('await page.waitForTimeout(150);')).toBe(true);
    expect(flagged('await new Promise((r) => setTimeout(r, 20));')).toBe(true);
    expect(flagged('await new Promise((resolve) => setTimeout(resolve, 1_000));')).toBe(true);
    expect(flagged('await sleep(100);')).toBe(true);
    expect(flagged('await sleep(100); // poll: until the delete action finishes')).toBe(false);
    expect(flagged("page.evaluate('new Promise((r) => setTimeout(() => requestAnimationFrame(r), 0))')")).toBe(false);
    expect(flagged('await waitUntil(() => done, "done");')).toBe(false);
  });
});
