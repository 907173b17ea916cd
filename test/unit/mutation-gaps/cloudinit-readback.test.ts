// The read-back (electron/core/cloudinit/pyyaml.ts, readBack.ts): where and why a text does not load
// as the document meant, with the path that lets the renderer name the field to blame. Written to
// kill mutants StrykerJS found surviving (bench/results/mutation-survivors.md); without the
// cloud-init fixtures, which Stryker would re-import (and re-render) for every mutant.
import { describe, expect, it } from 'vitest';
import { formatPath, readLikePyYaml, ReadBackError } from '../../../electron/core/cloudinit/pyyaml';
import { firstDifference } from '../../../electron/core/cloudinit/readBack';

function refusal(text: string): { path: unknown; message: string } {
  try {
    readLikePyYaml(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ReadBackError);
    expect((err as Error).name).toBe('ReadBackError');
    return { path: (err as ReadBackError).path, message: (err as Error).message };
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('readLikePyYaml', () => {
  it('loads an empty document (or only a comment, as "#cloud-config" alone) as null, as PyYAML does', () => {
    expect(readLikePyYaml('')).toBeNull();
    expect(readLikePyYaml('#cloud-config\n')).toBeNull();
  });

  it('refuses an anchor even on a plain string', () => {
    expect(refusal('a: &x x\n')).toEqual({ path: ['a'], message: 'a uses an anchor or alias' });
  });

  it('refuses a tag the loader knows, at the node and at the top', () => {
    expect(refusal('a:\n  b: !!str x\n')).toEqual({ path: ['a', 'b'], message: 'a.b carries an explicit tag' });
    expect(refusal('!!str x\n')).toEqual({ path: [], message: 'the document carries an explicit tag' });
  });

  it('names list items by index, map values by key, and keys as (key)', () => {
    expect(refusal('a:\n  - x\n  - 1\n')).toEqual({ path: ['a', 1], message: 'PyYAML reads a[1] as a YAML 1.1 int, not a string' });
    expect(refusal('- [x, [y, 1]]\n')).toEqual({ path: [0, 1, 1], message: 'PyYAML reads [0][1][1] as a YAML 1.1 int, not a string' });
    expect(refusal('a:\n  b: 0x1f\n')).toEqual({ path: ['a', 'b'], message: 'PyYAML reads a.b as a YAML 1.1 int, not a string' });
    expect(refusal('a:\n  1: x\n')).toEqual({ path: ['a', '(key)'], message: 'PyYAML reads a.(key) as a YAML 1.1 int, not a string' });
  });

  it('refuses a key PyYAML reads as another type, and a key given twice', () => {
    expect(refusal('a:\n  on: x\n')).toEqual({ path: ['a'], message: 'a has a key PyYAML reads as true' });
    expect(refusal('a: x\na: y\n')).toEqual({ path: ['a'], message: 'a appears twice' });
  });

  it('refuses text that does not parse even when what did parse is all strings', () => {
    expect(refusal('a: [x\n')).toMatchObject({ path: null, message: expect.stringMatching(/^the text does not parse as PyYAML would read it \(/) });
  });
});

describe('formatPath', () => {
  it('writes keys with dots after the first and indexes in brackets', () => {
    expect(formatPath(['a', 0, 'b', 1])).toBe('a[0].b[1]');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });
});

describe('firstDifference', () => {
  it('is null for equal documents, null included', () => {
    expect(firstDifference(null, null)).toBeNull();
    expect(firstDifference({ a: null, b: [null] }, { a: null, b: [null] })).toBeNull();
  });

  it('names the kinds when a value changes type', () => {
    expect(firstDifference({ a: null }, { a: {} })).toEqual({ path: ['a'], reason: 'a reads back as object, not null' });
    expect(firstDifference({ a: [] }, { a: {} })).toEqual({ path: ['a'], reason: 'a reads back as object, not array' });
  });

  it('says "the document" at the top', () => {
    expect(firstDifference('x', 'y')).toEqual({ path: [], reason: 'the document reads back with a different value' });
    expect(firstDifference({ a: 1 }, { a: 1, b: 2, c: 3 })).toEqual({ path: [], reason: 'the document reads back with extra key(s) "b", "c"' });
  });

  it('points at a missing item or key', () => {
    expect(firstDifference({ a: [1, 2] }, { a: [1] })).toEqual({ path: ['a', 1], reason: 'a[1] is missing when read back' });
    expect(firstDifference({ a: { b: 'x' } }, { a: {} })).toEqual({ path: ['a', 'b'], reason: 'a.b is missing when read back' });
  });
});
