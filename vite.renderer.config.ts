// Browser mode's build of the renderer (dist-web/). The Electron build is electron.vite.config.ts;
// both build the same renderer/ tree, which only knows shared/.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the page lives under /<secret>/ in browser mode and at app://outpost/ in Electron.
  base: './',
  plugins: [react()],
  build: { outDir: '../dist-web', emptyOutDir: true, minify: true, sourcemap: false },
});
