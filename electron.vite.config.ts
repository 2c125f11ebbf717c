import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      // electron-store and conf are ESM-only; bundling them keeps the CommonJS main loadable everywhere.
      externalizeDeps: { exclude: ['electron-store', 'conf'] },
      rollupOptions: {
        input: {
          // The Electron app.
          index: resolve(__dirname, 'src/main/index.ts'),
          // Browser mode: the same core in plain Node (never imports electron).
          web: resolve(__dirname, 'src/main/web/cli.ts'),
          // The local Realtime simulator on its own (npm run simulator).
          simulator: resolve(__dirname, 'src/main/simulator.ts'),
          // Fits attached images off the main thread (loaded by app.ts from beside it).
          'image-worker': resolve(__dirname, 'src/main/core/images/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() packages: everything it uses is bundled in.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } },
    plugins: [react()],
  },
});
