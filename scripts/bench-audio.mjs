#!/usr/bin/env node
// Audio benchmark entry (`npm run bench:audio [-- --short]`). Needs the PulseAudio rig: bash scripts/audio-rig.sh start
// The benchmark is TypeScript that imports the app core's sources. It is bundled with Vite (Rollup, dependencies
// external) the way electron-vite bundles the shipped main process, then run as plain JS, so the CPU and memory
// figures are for code in the form users run (Vite's module runner wraps every import and carries its own
// transform and source-map machinery in the measured process).
import { spawnSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

// The app runs in Electron's V8 (Chromium's build: V8 14 in Electron 39), which optimises through Maglev, as Chrome
// has since version 117. Node 20's V8 (11.3) keeps Maglev behind a flag: without it a function called once per
// audio frame runs unoptimised for much of the first minute, far longer than in the shipped app. So on Node 20 the
// benchmark runs itself with --maglev. (Node 22.9+ is built without Maglev, so there the flag is not added and the
// first turn measures slower tiers than the app's.)
if (Number(process.versions.node.split('.')[0]) < 22 && !process.execArgv.includes('--maglev')) {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--maglev', ...process.execArgv, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

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
