import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

// Our layout is top-level main/, preload/, renderer/ (not src/), so every entry is explicit.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // native modules stay external; @duckdb/node-bindings is imported directly by the dataset reader
      externalizeDeps: { include: ['@duckdb/node-bindings'] },
      // the worker-thread entry is its own bundle (main/jobs/worker-pool.ts loads out/main/worker.js)
      rollupOptions: { input: { index: resolve(__dirname, 'main/index.ts'), worker: resolve(__dirname, 'main/jobs/worker.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require node_modules: bundle everything into one CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
