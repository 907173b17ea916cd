// electron-vite: three builds into out/ (main ESM, preload one CJS file, renderer). Entries are
// explicit because the layout is not electron-vite's default src/ tree. The `outpost` command is a
// second entry of the main build (out/main/cli.js, run by bin/outpost.mjs): it shares the main
// process's chunks, and `--outDir` (the packing check builds elsewhere) moves both together.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: at('./out/main'),
      // Dependencies stay in node_modules (better-sqlite3 is native); the optional Node 20 alias
      // is loaded by name at run time, so it must never be bundled either.
      externalizeDeps: { include: ['better-sqlite3', 'better-sqlite3-node20', 'electron-store', 'conf'] },
      rolldownOptions: {
        input: { index: at('./electron/main/index.ts'), cli: at('./electron/cli/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: at('./out/preload'),
      // sandbox: true preloads cannot require anything but electron: bundle shared/ inline (names only, no zod).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: at('./renderer'),
    plugins: [react()],
    // The CSP refuses the <style> element react-remove-scroll-bar injects (see renderer/src/lib/no-scrollbar-style.ts).
    resolve: { alias: [{ find: /^react-remove-scroll-bar$/, replacement: at('./renderer/src/lib/no-scrollbar-style.ts') }] },
    build: {
      outDir: at('./out/renderer'),
      emptyOutDir: true,
      minify: true,
      rolldownOptions: {
        input: { index: at('./renderer/index.html') },
      },
    },
  },
});
