export const ICON_SIZES: number[];
export function makeIcons(svgPath: string, outDir: string, sizes?: number[]): string[];
