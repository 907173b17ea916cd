// The in-process emulation of PyYAML's SafeLoader. Each expectation below was checked against
// PyYAML itself (test/integration/cloudinit/pyyaml.test.ts runs the same texts through it).
import { describe, expect, it } from 'vitest';
import { pyyamlPlainTag, readLikePyYaml, ReadBackError } from '../../../electron/core/cloudinit/pyyaml';
import { firstDifference, readBackDivergence } from '../../../electron/core/cloudinit/readBack';
import { PYYAML_CASES } from './hostile';

const reason = (text: string): string => {
  try {
    readLikePyYaml(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ReadBackError);
    return (err as ReadBackError).message;
  }
  throw new Error('expected a ReadBackError');
};

describe('readLikePyYaml', () => {
  it.each(PYYAML_CASES)('%s', (_name, text, expected) => {
    expect(readLikePyYaml(text)).toEqual(expected);
  });

  it.each([
    ['NUL', 'a: x\0y\n', /U\+0000/],
    ['DEL', 'a: x\x7fy\n', /U\+007F/],
    ['a C1 control other than NEL', 'a: x\x9by\n', /U\+009B/],
    ['U+FFFE', 'a: x\ufffey\n', /U\+FFFE/],
    ['a lone surrogate', 'a: x\ud800y\n', /U\+D800/],
  ])('refuses %s as PyYAML reader does', (_name, text, message) => {
    expect(reason(text)).toMatch(message);
  });

  it.each([
    ['an int', 'a: [0b101]\n', /int/],
    ['a sexagesimal int', 'a: [1:20]\n', /int/],
    ['a float', 'a: [1.5]\n', /float/],
    ['a timestamp', 'a: [2001-12-14]\n', /timestamp/],
    ['a merge key', 'a: [<<]\n', /merge/],
    ['a value key (SafeLoader cannot construct it)', 'a: [=]\n', /value/],
  ])('reports a plain scalar PyYAML reads as %s', (_name, text, message) => {
    expect(reason(text)).toMatch(message);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['an explicit tag', 'a: !!python/object x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1\n'],
    ['a tab inside a plain scalar', 'a: x\ty\n'],
    ['a "?" inside a plain scalar in a flow sequence', 'a: [x?y]\n'],
  ])('refuses %s', (_name, text) => {
    expect(reason(text)).toBeTruthy();
  });
});

describe('pyyamlPlainTag', () => {
  it.each([
    ['hz-4711-web', 'str'],
    ['0x1f', 'int'],
    ['0600', 'int'],
    ['1_000', 'int'],
    ['1e3', 'str'], // PyYAML's float needs a dot
    ['1.0e+3', 'float'],
    ['.NaN', 'float'],
    ['2001-12-14 21:59:43.10 -5', 'timestamp'],
    ['', 'null'],
    ['tag:outpost', 'str'],
  ])('%j is %s', (source, tag) => {
    expect(pyyamlPlainTag(source)).toBe(tag);
  });
});

describe('firstDifference', () => {
  it('blames the value that was cut before the key it spawned', () => {
    const diff = firstDifference({ a: ['x y'], b: 1 }, { a: ['x'], y: true, b: 1 });
    expect(diff?.path).toEqual(['a', 0]);
  });

  it('reports extra keys, extra items, missing keys and type changes', () => {
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })?.reason).toMatch(/extra key\(s\) "b"/);
    expect(firstDifference({ a: [1] }, { a: [1, 2] })?.reason).toMatch(/a reads back with 1 extra item/);
    expect(firstDifference({ a: 1, b: 2 }, { a: 1 })?.path).toEqual(['b']);
    expect(firstDifference({ a: 'true' }, { a: true })?.reason).toMatch(/boolean, not string/);
    expect(firstDifference({ a: [{ b: 'x' }] }, { a: [{ b: 'x' }] })).toBeNull();
  });

  it('is null only for an equal document', () => {
    expect(readBackDivergence('a:\n  - "x"\n', { a: ['x'] })).toBeNull();
    expect(readBackDivergence('a:\n  - x\u2028b: c\n', { a: ['x\u2028b: c'] })?.path).toEqual(['a', 0]);
  });
});
