// Label rules and the label selector language, per the Hetzner spec's "Labels" section.

const NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function labelKeyProblem(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null) {
    if (!DNS_SUBDOMAIN.test(prefix)) return `label key '${key}' has an invalid prefix`;
    if (prefix === 'hetzner.cloud' || prefix.endsWith('.hetzner.cloud')) return `label key prefix '${prefix}/' is reserved`;
  }
  if (!NAME.test(name)) return `label key '${key}' is invalid`;
  return null;
}

export function labelValueProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'label values must be strings';
  if (value !== '' && !NAME.test(value)) return `label value '${value}' is invalid`;
  return null;
}

/** All problems of a labels object, as `invalid_input` messages for the `labels` field. */
export function labelsProblems(labels: unknown): string[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) return ['labels must be an object'];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problems.push(keyProblem);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) problems.push(valueProblem);
  }
  return problems;
}

export type Term =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'present' | 'absent'; key: string };

export class SelectorError extends Error {
  constructor(readonly position: number, what: string) {
    super(`invalid ${what} at position ${position}`);
  }
}

const KEY_CHARS = /[A-Za-z0-9_.\-/]/;
const VALUE_CHARS = /[A-Za-z0-9_.-]/;

/**
 * Parses `k=v,k==v,k!=v,k,!k,k in (a,b),k notin (a,b)`. Commas outside parentheses mean AND.
 * Errors carry the position, in the style of the real API ("invalid identifier at position 0").
 */
export function parseSelector(input: string): Term[] {
  let pos = 0;
  const terms: Term[] = [];
  const skipSpaces = () => {
    while (input[pos] === ' ') pos++;
  };
  const read = (chars: RegExp, what: string, allowEmpty = false): string => {
    const start = pos;
    while (pos < input.length && chars.test(input[pos] as string)) pos++;
    const text = input.slice(start, pos);
    if (!allowEmpty && text === '') throw new SelectorError(start, what);
    return text;
  };
  const readKey = (): string => {
    const start = pos;
    const key = read(KEY_CHARS, 'identifier');
    if (labelKeyProblem(key)) throw new SelectorError(start, 'identifier');
    return key;
  };
  const readValue = (): string => {
    const start = pos;
    const value = read(VALUE_CHARS, 'value', true);
    if (labelValueProblem(value)) throw new SelectorError(start, 'value');
    return value;
  };
  const readSet = (): string[] => {
    skipSpaces();
    if (input[pos] !== '(') throw new SelectorError(pos, 'set');
    pos++;
    const values: string[] = [];
    for (;;) {
      skipSpaces();
      values.push(readValue());
      skipSpaces();
      if (input[pos] === ',') {
        pos++;
        continue;
      }
      if (input[pos] === ')') {
        pos++;
        return values;
      }
      throw new SelectorError(pos, 'set');
    }
  };

  if (input.trim() === '') throw new SelectorError(0, 'identifier');
  for (;;) {
    skipSpaces();
    if (input[pos] === '!') {
      pos++;
      terms.push({ op: 'absent', key: readKey() });
    } else {
      const key = readKey();
      skipSpaces();
      if (input.startsWith('!=', pos)) {
        pos += 2;
        terms.push({ op: 'neq', key, value: readValue() });
      } else if (input.startsWith('==', pos)) {
        pos += 2;
        terms.push({ op: 'eq', key, value: readValue() });
      } else if (input[pos] === '=') {
        pos += 1;
        terms.push({ op: 'eq', key, value: readValue() });
      } else if (input.startsWith('notin', pos) && (input[pos + 5] === ' ' || input[pos + 5] === '(')) {
        pos += 5;
        terms.push({ op: 'notin', key, values: readSet() });
      } else if (input.startsWith('in', pos) && (input[pos + 2] === ' ' || input[pos + 2] === '(')) {
        pos += 2;
        terms.push({ op: 'in', key, values: readSet() });
      } else {
        terms.push({ op: 'present', key });
      }
    }
    skipSpaces();
    if (pos === input.length) return terms;
    if (input[pos] !== ',') throw new SelectorError(pos, 'operator');
    pos++;
  }
}

export function matchesSelector(labels: Record<string, string>, terms: readonly Term[]): boolean {
  return terms.every((term) => {
    const has = Object.prototype.hasOwnProperty.call(labels, term.key);
    const value = labels[term.key];
    switch (term.op) {
      case 'eq':
        return has && value === term.value;
      case 'neq':
        return !has || value !== term.value;
      case 'present':
        return has;
      case 'absent':
        return !has;
      case 'in':
        return has && term.values.includes(value as string);
      case 'notin':
        return !has || !term.values.includes(value as string);
    }
  });
}
