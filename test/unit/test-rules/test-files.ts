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

/** Lines of every source file under `dirs` of `root`, numbered from 1, with paths relative to `root`. */
export function sourceLines(root: string, dirs: readonly string[]): SourceLine[] {
  return dirs.flatMap((dir) =>
    walk(join(root, dir)).flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .map((text, i) => ({ file: relative(root, path), line: i + 1, text })),
    ),
  );
}

/** Lines of every test source file, numbered from 1, with paths relative to the repository. */
export const testSourceLines = (): SourceLine[] => sourceLines(REPO, ['test']);

export const where = (l: SourceLine): string => `${l.file}:${l.line}: ${l.text.trim()}`;
