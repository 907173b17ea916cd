// Types for scripts/render-reliability.mjs (a plain script, so `node` runs it without a build).
export function render(results: Record<string, unknown>): string;
export function replaceBlock(readme: string, results: Record<string, unknown>): string;
