// Types for scripts/ensure-build.mjs (plain JS so `npm install` runs it with node alone).
export const BUILD_INPUTS: readonly string[];
export const STAMP: string;
export function sourcesHash(root?: string): string;
export function isFresh(root?: string, hash?: string): boolean;
export function electronViteBuild(root: string, outDir: string): void;
export function ensureBuild(options?: {
  root?: string;
  build?: (root: string, outDir: string) => void;
  log?: (line: string) => void;
}): { built: boolean; ms: number };
