#!/usr/bin/env node
// Audio benchmark entry (`npm run bench:audio [-- --short]`). Needs the PulseAudio rig: bash scripts/audio-rig.sh start
// The benchmark is TypeScript that imports the app core's sources. It is bundled with Vite (Rollup, dependencies
// external) the way electron-vite bundles the shipped main process, then run as plain JS, so the CPU and memory
// figures are for code in the form users run (Vite's module runner wraps every import and carries its own
// transform and source-map machinery in the measured process).
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

// Capture from the rig's remapped mic source, the same true timeline the reference recording uses (a null sink's
// .monitor runs about one block early, which would flatter the microphone figure). libpulse reads PULSE_SOURCE.
process.env.PULSE_SOURCE ??= 'mic_timeline';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.env.TALKIE_ROOT = root;
const outDir = resolve(root, 'out/bench');
await build({
  root,
  configFile: false,
  logLevel: 'error',
  build: {
    ssr: resolve(root, 'bench/audio/run.ts'),
    outDir,
    emptyOutDir: true,
    minify: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'run.mjs' } },
  },
});
const module = await import(pathToFileURL(resolve(outDir, 'run.mjs')).href);
const code = await module.main(process.argv.slice(2));
// naudiodon's threads can keep the event loop alive briefly after close; the figures are printed, so leave now.
process.exit(code);
