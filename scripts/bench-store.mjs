#!/usr/bin/env node
// Conversation store benchmark entry (`npm run bench:store [-- --turns N]`). Like bench:audio, the TypeScript
// benchmark is bundled with Vite (dependencies external, as electron-vite bundles the shipped main process) and run
// as plain JS, so the figures are for the store in the form users run.
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, 'out/bench-store');
await build({
  root,
  configFile: false,
  logLevel: 'error',
  build: {
    ssr: resolve(root, 'bench/store/run.ts'),
    outDir,
    emptyOutDir: true,
    minify: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'run.mjs' } },
  },
});
const module = await import(pathToFileURL(resolve(outDir, 'run.mjs')).href);
process.exitCode = await module.main(process.argv.slice(2));
