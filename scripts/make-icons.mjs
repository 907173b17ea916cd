// `npm run icons`: every installer icon rendered from build/icon.svg, so there is one source to
// change. resvg is a Rust renderer shipped as a prebuilt npm package (nothing downloaded at run
// time). Output: build/icons/<n>x<n>.png, the layout electron-builder reads for Linux; macOS and
// Windows take the 1024 and 256 PNGs and convert them to icns/ico themselves.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

export const ICON_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

/** Renders `svgPath` at each size into `outDir`; returns the files written. */
export function makeIcons(svgPath, outDir, sizes = ICON_SIZES) {
  const svg = readFileSync(svgPath);
  mkdirSync(outDir, { recursive: true });
  return sizes.map((size) => {
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
    const file = join(outDir, `${size}x${size}.png`);
    writeFileSync(file, png);
    return file;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = makeIcons(join(root, 'build', 'icon.svg'), join(root, 'build', 'icons'));
  console.log(`icons: ${files.length} PNGs in build/icons`);
}
