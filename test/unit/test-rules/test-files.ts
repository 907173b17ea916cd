// Every source file under test/, with its lines, for the rules the test suite keeps about itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface SourceLine {
  file: string;
  line: number;
  text: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'artifacts' ? [] : walk(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

/** Lines of every test source file, numbered from 1, with paths relative to the repository. */
export function testSourceLines(): SourceLine[] {
  return walk(join(REPO, 'test')).flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .map((text, i) => ({ file: relative(REPO, path), line: i + 1, text })),
  );
}

export const where = (l: SourceLine): string => `${l.file}:${l.line}: ${l.text.trim()}`;
