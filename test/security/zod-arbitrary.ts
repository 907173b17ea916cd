// fast-check arbitraries derived from a zod (v4) schema, so the fuzz follows the contract as it grows:
// `validArbitrary` builds values the schema accepts (boundaries included), `nearValidArbitrary` takes
// one of those and breaks exactly one thing (a field too long, a wrong type, a missing or extra key).
// A field can be steered with a hint (realistic values the handler can act on, e.g. a real region),
// mixed with what the schema alone would generate.
import fc from 'fast-check';
import type { z } from 'zod';

type Arb = fc.Arbitrary<unknown>;
/** Field name -> extra values for that field (mixed in, never the only source). */
export type Hints = Record<string, Arb>;

// Zod v4 keeps its definition on `_zod.def`; only what the deriver reads is typed here.
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): CheckDef[] => (def.checks ?? []).map((c) => c._zod.def);

interface Bounds {
  min: number;
  max: number;
}

function lengthBounds(def: Def, fallbackMax: number): Bounds {
  let min = 0;
  let max = fallbackMax;
  for (const c of checksOf(def)) {
    if (c.check === 'min_length' && c.minimum !== undefined) min = Math.max(min, c.minimum);
    if (c.check === 'max_length' && c.maximum !== undefined) max = Math.min(max, c.maximum);
    if (c.check === 'length_equals' && c.length !== undefined) min = max = c.length;
  }
  return { min, max: Math.max(min, max) };
}

function numberBounds(def: Def): Bounds & { int: boolean } {
  let min = -1e9;
  let max = 1e9;
  let int = false;
  for (const c of checksOf(def)) {
    if (c.check === 'greater_than' && c.value !== undefined) min = Math.max(min, c.inclusive ? c.value : c.value + (int ? 1 : 1e-6));
    if (c.check === 'less_than' && c.value !== undefined) max = Math.min(max, c.inclusive ? c.value : c.value - (int ? 1 : 1e-6));
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32')) int = true;
  }
  return { min, max, int };
}

const regexOf = (def: Def): RegExp | undefined => checksOf(def).find((c) => c.check === 'string_format' && c.pattern)?.pattern;

/** Long strings are capped for generation: a boundary of 16 KiB is still tried, just not often. */
const GEN_MAX = 80;

/** z.iso.datetime(): random strings almost never are one, and the validity filter would spin on them. */
const isoDatetime: Arb = fc
  .tuple(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom('Z', '+02:00', '-05:30'))
  .map(([d, offset]) => d.toISOString().replace('Z', offset));

function stringArb(def: Def): Arb {
  if ((def as { format?: string }).format === 'datetime') return fc.oneof({ weight: 4, arbitrary: isoDatetime }, { weight: 1, arbitrary: fc.string() });
  const { min, max } = lengthBounds(def, 10_000);
  const regex = regexOf(def);
  const base = regex ? fc.stringMatching(regex) : fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, GEN_MAX)) });
  const boundaries: string[] = [];
  if (!regex) {
    boundaries.push('x'.repeat(min), 'y'.repeat(max <= 20_000 ? max : min));
    if (min === 0) boundaries.push('');
  }
  return fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: boundaries.length > 0 ? fc.constantFrom(...boundaries) : base });
}

function numberArb(def: Def): Arb {
  const { min, max, int } = numberBounds(def);
  const lo = Math.ceil(min);
  const hi = Math.floor(max);
  const boundaries = fc.constantFrom(...[min, max, 0, 1].filter((n) => n >= min && n <= max && (!int || Number.isInteger(n))));
  const integers = fc.integer({ min: Math.max(lo, -1e9), max: Math.min(hi, 1e9) });
  if (int) return fc.oneof(boundaries, integers);
  // Two-decimal values satisfy the usual money refinements; raw doubles probe the rest.
  const INT32 = 2 ** 31 - 1; // fc.integer's range
  const cents = fc.integer({ min: Math.max(-INT32, Math.ceil(min * 100)), max: Math.min(INT32, Math.floor(max * 100)) }).map((n) => n / 100);
  return fc.oneof(boundaries, integers, { weight: 2, arbitrary: cents }, fc.double({ min, max, noNaN: true }));
}

/** Values the schema accepts. Every leaf is checked against its own schema, so refinements hold. */
export function validArbitrary(schema: z.ZodType, hints: Hints = {}, field?: string): Arb {
  const def = defOf(schema);
  const leaf = (arb: Arb): Arb => {
    const hinted = field !== undefined && hints[field] ? fc.oneof(hints[field]!, arb) : arb;
    return hinted.filter((v) => schema.safeParse(v).success);
  };
  switch (def.type) {
    case 'string':
      return leaf(stringArb(def));
    case 'number':
      return leaf(numberArb(def));
    case 'boolean':
      return leaf(fc.boolean());
    case 'null':
      return fc.constant(null);
    case 'enum':
      return leaf(fc.constantFrom(...Object.values(def.entries!)));
    case 'literal':
      return fc.constantFrom(...def.values!);
    case 'optional':
      return fc.option(validArbitrary(def.innerType!, hints, field), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(validArbitrary(def.innerType!, hints, field), { nil: null, freq: 4 });
    case 'default':
    case 'readonly':
    case 'prefault':
    case 'catch':
    case 'nonoptional':
      return validArbitrary(def.innerType!, hints, field);
    case 'pipe':
      return validArbitrary(def.in!, hints, field).filter((v) => schema.safeParse(v).success);
    case 'array': {
      const { min, max } = lengthBounds(def, 8);
      return fc.array(validArbitrary(def.element!, hints, field), { minLength: min, maxLength: Math.min(max, Math.max(min, 8)) });
    }
    case 'record':
      return fc.dictionary(validArbitrary(def.keyType!, hints) as fc.Arbitrary<string>, validArbitrary(def.valueType!, hints), { maxKeys: 4 });
    case 'union':
      return fc.oneof(...def.options!.map((o) => validArbitrary(o, hints, field)));
    case 'object': {
      const shape = def.shape!;
      const entries = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, validArbitrary(s, hints, k)]));
      // Optional fields come out as `undefined`; drop those keys so JSON and the schema agree.
      return fc.record(entries).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      throw new Error(`validArbitrary: zod type "${def.type}" is not derived yet; teach test/security/zod-arbitrary.ts about it`);
  }
}

/** A value that breaks the leaf schema in one way (wrong type, past a bound, outside a set). */
function brokenLeaf(schema: z.ZodType): Arb {
  const def = defOf(schema);
  const wrongType = fc.constantFrom<unknown>(null, 42, -1, 1.5, true, 'text', [], {}, ['a'], { nested: { x: 1 } });
  const variants: Arb[] = [wrongType];
  const inner = def.innerType ?? def.in;
  if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'pipe') && inner) return brokenLeaf(inner);
  if (def.type === 'string') {
    const { min, max } = lengthBounds(def, 100_000);
    if (max < 100_000) variants.push(fc.constant('z'.repeat(max + 1)));
    if (min > 0) variants.push(fc.constant('z'.repeat(min - 1)), fc.constant(' '.repeat(min)));
    variants.push(fc.constantFrom('\u0000', 'line\nbreak', '../../etc/passwd', '%00', '\u202e', 'ÄÖÜ-ü'));
  } else if (def.type === 'number') {
    const { min, max, int } = numberBounds(def);
    variants.push(fc.constantFrom(min - 1, max + 1, Number.MAX_SAFE_INTEGER * 2, -0.001, 0.001, 1e308));
    if (int) variants.push(fc.constant(1.5));
  } else if (def.type === 'enum' || def.type === 'literal') {
    variants.push(fc.constantFrom('', 'OPERATOR', 'unknown', 'delete all tokens ', 'hetzner\u0000'));
  } else if (def.type === 'array') {
    const { max } = lengthBounds(def, 1_000);
    variants.push(fc.array(brokenLeaf(def.element!), { minLength: 1, maxLength: 3 }));
    if (max < 1_000) variants.push(fc.array(validArbitrary(def.element!), { minLength: max + 1, maxLength: max + 1 }));
  }
  return fc.oneof(...variants);
}

/** The object variants of a schema (a union of objects gives each). */
function objectVariants(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if (def.type === 'object') return [schema];
  if (def.type === 'union') return def.options!.flatMap(objectVariants);
  return [];
}

/**
 * A valid request with exactly one thing wrong: one field broken, a required field missing, or an
 * unknown field added. For a schema that is not an object, a broken value of it.
 */
export function nearValidArbitrary(schema: z.ZodType, hints: Hints = {}): Arb {
  const variants = objectVariants(schema);
  if (variants.length === 0) return brokenLeaf(schema);
  return fc.oneof(
    ...variants.map((variant) => {
      const shape = defOf(variant).shape!;
      const keys = Object.keys(shape);
      const base = validArbitrary(variant, hints) as fc.Arbitrary<Record<string, unknown>>;
      const extraKey = fc.tuple(base, fc.constantFrom('__proto__', 'constructor', 'extra', 'Region', 'role', 'token', ''), fc.string({ maxLength: 8 })).map(([o, k, v]) => {
        const copy: Record<string, unknown> = { ...o };
        Object.defineProperty(copy, k in shape && k !== '' ? `${k}_` : k, { value: v, enumerable: true, writable: true, configurable: true });
        return copy;
      });
      if (keys.length === 0) return fc.oneof(extraKey, fc.constantFrom<unknown>(null, [], 'x', 0));
      const broken = fc
        .constantFrom(...keys)
        .chain((k) => fc.tuple(base, fc.constant(k), brokenLeaf(shape[k]!)))
        .map(([o, k, v]) => ({ ...o, [k]: v }));
      const missing = fc.tuple(base, fc.constantFrom(...keys)).map(([o, k]) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k)));
      return fc.oneof({ weight: 3, arbitrary: broken }, missing, extraKey);
    }),
  );
}

/** Anything at all, and the JSON shapes a careless client sends. */
export const junkArbitrary: Arb = fc.oneof(fc.anything({ maxDepth: 3 }), fc.constantFrom<unknown>(null, [], '', 0, true, 'null', [{}]));

/**
 * The mix a channel is fuzzed with: mostly valid (so handlers run with real payloads), then
 * near-valid (one thing wrong) and junk.
 */
export function payloadArbitrary(schema: z.ZodType, hints: Hints = {}): Arb {
  return fc.oneof(
    { weight: 6, arbitrary: validArbitrary(schema, hints) },
    { weight: 3, arbitrary: nearValidArbitrary(schema, hints) },
    { weight: 1, arbitrary: junkArbitrary },
  );
}
