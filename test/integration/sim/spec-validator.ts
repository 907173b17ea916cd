// Validates simulator responses against the official API documents in ../shared/specs/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { requiredFile } from '../../fixtures/required';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SPECS_DIR = path.resolve(repoRoot, '../shared/specs');
/** The official documents are there; absent, conformance is skipped (counted by npm test) — under CI a failure. */
export const SPECS_PRESENT = ['hetzner-cloud.spec.json', 'tailscale-v2-openapi.subset.yaml'].every((file) =>
  requiredFile(path.join(SPECS_DIR, file), `The official API document ${file}`, 'Put the shared specs next to the repository (../shared/specs).'),
);

type Json = Record<string, unknown>;

/** OpenAPI 3.0 `nullable: true` -> JSON Schema type unions (Ajv does not know `nullable` without a type). */
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === 'example' || k === 'examples' ? v : convertNullable(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.type === undefined) return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** Inlines `#/…` references (the documents are acyclic for the operations we check). */
function resolveRefs(node: unknown, root: Json, depth = 0): unknown {
  if (depth > 40) throw new Error('reference depth exceeded');
  if (Array.isArray(node)) return node.map((n) => resolveRefs(n, root, depth));
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Json;
  if (typeof obj.$ref === 'string' && obj.$ref.startsWith('#/')) {
    const target = obj.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((n, part) => (n as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')], root);
    const { $ref: _ref, ...rest } = obj;
    return resolveRefs({ ...(target as Json), ...rest }, root, depth + 1);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) out[k] = k === 'example' || k === 'examples' ? v : resolveRefs(v, root, depth);
  return out;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const f of ['int64', 'int32', 'double', 'float', 'decimal', 'xfs']) ajv.addFormat(f, true);
  return ajv;
}

interface Operation {
  template: string;
  regex: RegExp;
  method: string;
  responses: Json;
}

export class SpecValidator {
  private readonly ops: Operation[] = [];
  private readonly cache = new Map<string, ValidateFunction | null>();
  private readonly ajv = newAjv();

  constructor(private readonly doc: Json) {
    for (const [template, item] of Object.entries(doc.paths as Json)) {
      const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(item as Json)) {
        if (typeof op === 'object' && op !== null && 'responses' in op) this.ops.push({ template, regex, method: method.toUpperCase(), responses: (op as Json).responses as Json });
      }
    }
    // Literal segments win over parameters (`/keys/{id}` vs `/keys/actions`).
    this.ops.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length);
  }

  static hetzner(): SpecValidator {
    const doc = JSON.parse(readFileSync(path.join(SPECS_DIR, 'hetzner-cloud.spec.json'), 'utf8')) as Json;
    return new SpecValidator(convertNullable(doc) as Json);
  }

  static tailscale(): SpecValidator {
    return new SpecValidator(parseYaml(readFileSync(path.join(SPECS_DIR, 'tailscale-v2-openapi.subset.yaml'), 'utf8')) as Json);
  }

  hasOperation(method: string, apiPath: string): boolean {
    return this.ops.some((o) => o.method === method && o.regex.test(apiPath));
  }

  /** Returns a list of problems (empty = valid). `apiPath` is relative to the API base, without query. */
  validate(method: string, apiPath: string, status: number, body: string): string[] {
    const op = this.ops.find((o) => o.method === method && o.regex.test(apiPath));
    if (!op) return [`no operation ${method} ${apiPath} in the spec`];
    const response = (op.responses[String(status)] ?? op.responses[`${String(status)[0]}xx`] ?? op.responses.default) as Json | undefined;
    if (!response) return [`status ${status} is not documented for ${method} ${op.template}`];
    const resolved = resolveRefs(response, this.doc) as Json;
    const schema = ((resolved.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
    if (!schema) return body === '' ? [] : [`${method} ${op.template} ${status} documents no body, got ${body.slice(0, 80)}`];
    const key = `${method} ${op.template} ${status}`;
    let validate = this.cache.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(schema);
      this.cache.set(key, validate);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${key}: body is not JSON`];
    }
    if (validate && !validate(parsed)) return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    return [];
  }
}
