import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SelectorError, labelsProblems, matchesSelector, parseSelector } from '../../../electron/sim/hetzner/labels';

describe('label selector', () => {
  it('parses every term form', () => {
    expect(parseSelector('a=1,b==2,c!=3,d,!e,f in (x, y),g notin (z)')).toEqual([
      { op: 'eq', key: 'a', value: '1' },
      { op: 'eq', key: 'b', value: '2' },
      { op: 'neq', key: 'c', value: '3' },
      { op: 'present', key: 'd' },
      { op: 'absent', key: 'e' },
      { op: 'in', key: 'f', values: ['x', 'y'] },
      { op: 'notin', key: 'g', values: ['z'] },
    ]);
    expect(parseSelector('outpost.managed=true,example.com/owner=alice')).toHaveLength(2);
  });

  it('rejects malformed selectors with a position', () => {
    for (const [input, position] of [['=x', 0], ['a=1,', 4], ['a in (x', 7], ['a b', 2], ['', 0], ['a=1,,b', 4]] as const) {
      let error: unknown;
      try {
        parseSelector(input);
      } catch (e) {
        error = e;
      }
      expect(error, input).toBeInstanceOf(SelectorError);
      expect((error as SelectorError).position, input).toBe(position);
    }
  });

  it('matches like the spec says (!= and notin also match a missing key)', () => {
    const labels = { env: 'prod', tier: 'web' };
    const m = (s: string) => matchesSelector(labels, parseSelector(s));
    expect(m('env=prod,tier')).toBe(true);
    expect(m('env!=dev')).toBe(true);
    expect(m('missing!=x')).toBe(true);
    expect(m('missing notin (a)')).toBe(true);
    expect(m('missing in (a)')).toBe(false);
    expect(m('!env')).toBe(false);
    expect(m('env in (dev,prod),tier notin (db)')).toBe(true);
  });

  it('k=v matches exactly when the label equals v (property)', () => {
    const word = fc.stringMatching(/^[a-z0-9]([a-z0-9_.-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.dictionary(word, word), word, word, (labels, key, value) => {
        const eq = matchesSelector(labels, parseSelector(`${key}=${value}`));
        const neq = matchesSelector(labels, parseSelector(`${key}!=${value}`));
        expect(eq).toBe(Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === value);
        expect(neq).toBe(!eq);
      }),
    );
  });

  it('validates label keys and values', () => {
    expect(labelsProblems({ 'outpost.job': 'job_1', 'example.com/owner': '' })).toEqual([]);
    expect(labelsProblems({ 'hetzner.cloud/x': 'y' })).toHaveLength(1);
    expect(labelsProblems({ '-bad': 'y', ok: 'bad value' })).toHaveLength(2);
    expect(labelsProblems({ ok: 3 })).toHaveLength(1);
  });
});
