// Types for scripts/readme-block.mjs (a plain script, so `node` runs its importers without a build).
export function replaceBlock(text: string, name: string, body: string, where: string, missing?: 'throw' | 'keep'): string;
