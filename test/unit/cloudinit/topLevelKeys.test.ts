import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALLOWED_TOP_LEVEL_KEYS, renderUserData, unknownTopLevelKeys } from '../../../electron/core/cloudinit';
import { VARIANTS } from './fixtures';
import { requiredFile } from '../../fixtures/required';

const shared = (path: string) => fileURLToPath(new URL(`../../../../shared/${path}`, import.meta.url));
const SCHEMA = shared('specs/cloud-init-schema-cloud-config-v1.json');
const TYPO_KEYS = shared('reference/cloud-init/typo-keys.cloud-config.yaml');

interface Schema {
  properties?: Record<string, unknown>;
  allOf?: { $ref?: string }[];
  $defs?: Record<string, { properties?: Record<string, unknown> }>;
}

// The schema composes its top level from one $def per module through allOf.
function schemaTopLevelKeys(schema: Schema): Set<string> {
  const keys = new Set(Object.keys(schema.properties ?? {}));
  for (const part of schema.allOf ?? []) {
    const name = part.$ref?.replace('#/$defs/', '');
    const def = name === undefined ? undefined : schema.$defs?.[name];
    for (const key of Object.keys(def?.properties ?? {})) keys.add(key);
  }
  return keys;
}

describe('top-level key allow-list', () => {
  it('is a subset of the official schema top-level properties', (ctx) => {
    if (!requiredFile(SCHEMA, 'The official cloud-init schema', 'Put the shared specs next to the repository (../shared/specs).')) ctx.skip(`cloud-init schema not found at ${SCHEMA} (../shared/specs is absent)`);
    const keys = schemaTopLevelKeys(JSON.parse(readFileSync(SCHEMA, 'utf8')) as Schema);
    expect(keys.size).toBeGreaterThan(50); // the schema really was walked
    expect(keys.has('runcmds')).toBe(false);
    for (const key of ALLOWED_TOP_LEVEL_KEYS) expect(keys, key).toContain(key);
  });

  it('covers every key the builder emits', () => {
    for (const [name, input] of Object.entries(VARIANTS)) {
      const doc = parse(renderUserData(input).text) as Record<string, unknown>;
      expect(unknownTopLevelKeys(doc), name).toEqual([]);
    }
  });

  it('flags the typos the real validator lets through', (ctx) => {
    if (!requiredFile(TYPO_KEYS, 'The cloud-init typo-keys reference example', 'Put the shared reference next to the repository (../shared/reference).')) ctx.skip(`reference example not found at ${TYPO_KEYS}`);
    const doc = parse(readFileSync(TYPO_KEYS, 'utf8')) as Record<string, unknown>;
    expect(unknownTopLevelKeys(doc)).toEqual(['runcmds', 'write_file']);
  });
});
