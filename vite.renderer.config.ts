// Browser mode's build of the renderer (dist-web/). The Electron build is electron.vite.config.ts;
// both build the same renderer/ tree, which only knows shared/.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the page lives under /<secret>/ in browser mode and at app://outpost/ in Electron.
  base: './',
  plugins: [react()],
  // The CSP refuses the <style> element react-remove-scroll-bar injects (see renderer/src/lib/no-scrollbar-style.ts).
  resolve: { alias: [{ find: /^react-remove-scroll-bar$/, replacement: fileURLToPath(new URL('./renderer/src/lib/no-scrollbar-style.ts', import.meta.url)) }] },
  build: { outDir: '../dist-web', emptyOutDir: true, minify: true, sourcemap: false },
});
