// Reads electron-builder.yml the way the packaging tests need it: parsed, and typed loosely (the
// schema check is electron-builder's own, in builder-config.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const BUILDER_CONFIG_PATH = fileURLToPath(new URL('../../../electron-builder.yml', import.meta.url));

export interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: string[];
  asar?: boolean;
  asarUnpack?: string[];
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[]; icon?: string };
  mac?: { target?: string; icon?: string };
  win?: { target?: string; icon?: string };
  publish?: { provider?: string; url?: string };
  [key: string]: unknown;
}

export function loadBuilderConfig(text = readFileSync(BUILDER_CONFIG_PATH, 'utf8')): BuilderConfig {
  return parse(text) as BuilderConfig;
}
