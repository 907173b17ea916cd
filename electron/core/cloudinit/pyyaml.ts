// Reads YAML text the way cloud-init does: PyYAML's SafeLoader, YAML 1.1. The `yaml` package
// follows YAML 1.2 in three places that matter for injection, so this emulates PyYAML there:
//   - line breaks: PyYAML also breaks lines at U+0085, U+2028, U+2029 and a lone \r (YAML 1.2 and
//     `yaml` do not), which lets a value that `yaml` wrote as one plain scalar end early and start a
//     new top-level key;
//   - characters: PyYAML's reader refuses the whole stream on a character outside its printable set,
//     and its plain-scalar scanner (scanner.py scan_plain) stops at a tab, at ':' before a space,
//     and inside flow collections at any of ',?[]{}' — where YAML 1.2 lets the scalar go on;
//   - plain scalars: PyYAML's own implicit resolvers (bool, int, float, null, timestamp, merge,
//     value) decide their type, copied from yaml/resolver.py, not the `yaml` package's 1.1 schema.
// Anything this cannot map faithfully (tags, anchors, aliases, parse warnings) counts as a
// difference: the renderer never writes them, so refusing costs nothing.
import { isAlias, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';

export type Path = (string | number)[];

/** Why the text does not read back as a plain JSON-like document; `path` when a node is known. */
export class ReadBackError extends Error {
  constructor(
    message: string,
    readonly path: Path | null,
  ) {
    super(message);
    this.name = 'ReadBackError';
  }
}

// yaml/reader.py NON_PRINTABLE; with the `u` flag a lone surrogate is also outside the set.
const NON_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
// Each replaced by one '\n', so offsets (and error positions) stay those of the original text.
const PYYAML_ONLY_BREAKS = /\r(?!\n)|[\x85\u2028\u2029]/g;

const RESOLVERS: { tag: string; first: string; pattern: RegExp }[] = [
  { tag: 'bool', first: 'yYnNtTfFoO', pattern: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/ },
  {
    tag: 'float',
    first: '-+0123456789.',
    pattern:
      /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  },
  {
    tag: 'int',
    first: '-+0123456789',
    pattern: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  },
  { tag: 'merge', first: '<', pattern: /^(?:<<)$/ },
  { tag: 'null', first: '~nN', pattern: /^(?:~|null|Null|NULL|)$/ },
  {
    tag: 'timestamp',
    first: '0123456789',
    pattern:
      /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  },
  { tag: 'value', first: '=', pattern: /^(?:=)$/ },
];

/** The tag PyYAML's resolver gives a plain scalar (PyYAML picks candidates by first character). */
export function pyyamlPlainTag(source: string): string {
  const first = source.charAt(0);
  for (const { tag, first: starts, pattern } of RESOLVERS) {
    const candidate = first === '' ? tag === 'null' : starts.includes(first);
    if (candidate && pattern.test(source)) return tag;
  }
  return 'str';
}

const BOOL_TRUE = new Set(['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);

// Only str, bool and null are mapped to values: the renderer writes nothing else, so any other
// type is reported rather than converted (and possibly converted differently from PyYAML).
function plainValue(source: string, path: Path): string | boolean | null {
  const tag = pyyamlPlainTag(source);
  if (tag === 'str') return source;
  if (tag === 'bool') return BOOL_TRUE.has(source);
  if (tag === 'null') return null;
  throw new ReadBackError(`PyYAML reads ${describe(path)} as a YAML 1.1 ${tag}, not a string`, path);
}

// Where PyYAML's scan_plain ends a plain scalar (or fails) while `yaml` would have kept going.
const PLAIN_BLOCK_STOP = /\t|:(?: |$)/;
const PLAIN_FLOW_STOP = /\t|[,?[\]{}]|:(?:[ ,[\]{}]|$)/;

const describe = (path: Path): string => (path.length === 0 ? 'the document' : formatPath(path));

export const formatPath = (path: Path): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function toValue(node: Node | null, path: Path, inFlow = false): unknown {
  if (node === null) return null;
  if (isAlias(node) || node.anchor !== undefined) throw new ReadBackError(`${describe(path)} uses an anchor or alias`, path);
  // The composer sets `tag` only for a tag written in the text.
  if (node.tag !== undefined) throw new ReadBackError(`${describe(path)} carries an explicit tag`, path);
  if (isScalar(node)) {
    if (node.type === Scalar.PLAIN) {
      const source = node.source ?? String(node.value);
      if ((inFlow ? PLAIN_FLOW_STOP : PLAIN_BLOCK_STOP).test(source)) {
        throw new ReadBackError(`${describe(path)} is a plain scalar that PyYAML would end early`, path);
      }
      return plainValue(source, path);
    }
    // Quoted and block scalars are always strings in PyYAML.
    return typeof node.value === 'string' ? node.value : String(node.value);
  }
  const flow = inFlow || node.flow === true;
  if (isSeq(node)) return node.items.map((item, i) => toValue(item as Node | null, [...path, i], flow));
  // A map: the only node left (a parsed node is an alias, a scalar, a sequence or a map).
  const out: Record<string, unknown> = {};
  for (const pair of node.items) {
    const key = toValue(pair.key as Node | null, [...path, '(key)'], flow);
    if (typeof key !== 'string') throw new ReadBackError(`${describe(path)} has a key PyYAML reads as ${String(key)}`, path);
    const at = [...path, key];
    // PyYAML keeps the last of two equal keys; the `yaml` package refuses them. Either way the
    // document is not the one meant.
    if (Object.hasOwn(out, key)) throw new ReadBackError(`${describe(at)} appears twice`, at);
    out[key] = toValue(pair.value as Node | null, at, flow);
  }
  return out;
}

/** The value PyYAML's SafeLoader would load from `text`, or a ReadBackError saying why not. */
export function readLikePyYaml(text: string): unknown {
  const bad = NON_PRINTABLE.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw new ReadBackError(`PyYAML refuses the character U+${code.toString(16).toUpperCase().padStart(4, '0')}`, null);
  }
  const normalised = text.replace(PYYAML_ONLY_BREAKS, '\n');
  const doc = parseDocument(normalised, { version: '1.1', uniqueKeys: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw new ReadBackError(`the text does not parse as PyYAML would read it (${problem.code})`, null);
  return toValue(doc.contents as Node | null, []);
}
