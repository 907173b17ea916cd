// The renderer's last word on its own output: what cloud-init will parse from the text must be
// exactly the object the renderer meant to write. This closes injection as a class: whatever
// character or quoting quirk lets a value escape its scalar, the parsed document then has other
// keys or other values, and the text is never sent.
import { formatPath, readLikePyYaml, ReadBackError, type Path } from './pyyaml';

export interface Divergence {
  /** Where the parsed document first differs from the intended one; null when it did not parse. */
  path: Path | null;
  reason: string;
}

const kind = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** The first place where `actual` is not `intended` (same keys, same values, same types). */
export function firstDifference(intended: unknown, actual: unknown, path: Path = []): Divergence | null {
  const at = (reason: string): Divergence => ({ path, reason: `${path.length ? formatPath(path) : 'the document'} ${reason}` });
  if (kind(intended) !== kind(actual)) return at(`reads back as ${kind(actual)}, not ${kind(intended)}`);
  if (Array.isArray(intended)) {
    const got = actual as unknown[];
    for (let i = 0; i < intended.length; i++) {
      if (i >= got.length) return { path: [...path, i], reason: `${formatPath([...path, i])} is missing when read back` };
      const diff = firstDifference(intended[i], got[i], [...path, i]);
      if (diff) return diff;
    }
    return got.length > intended.length ? at(`reads back with ${got.length - intended.length} extra item(s)`) : null;
  }
  if (typeof intended === 'object' && intended !== null) {
    const want = intended as Record<string, unknown>;
    const got = actual as Record<string, unknown>;
    // Values first: when a value is cut short, the cut is the field to blame, not the key it spawned.
    for (const key of Object.keys(want)) {
      if (!Object.hasOwn(got, key)) return { path: [...path, key], reason: `${formatPath([...path, key])} is missing when read back` };
      const diff = firstDifference(want[key], got[key], [...path, key]);
      if (diff) return diff;
    }
    const extra = Object.keys(got).filter((key) => !Object.hasOwn(want, key));
    if (extra.length > 0) return at(`reads back with extra key(s) ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
    return null;
  }
  return Object.is(intended, actual) ? null : at('reads back with a different value');
}

/** Null when PyYAML would load `text` as exactly `intended`; otherwise where and why not. */
export function readBackDivergence(text: string, intended: unknown): Divergence | null {
  let parsed: unknown;
  try {
    parsed = readLikePyYaml(text);
  } catch (err) {
    if (err instanceof ReadBackError) return { path: err.path, reason: err.message };
    throw err;
  }
  return firstDifference(intended, parsed);
}
