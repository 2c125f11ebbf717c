#!/usr/bin/env node
// Audio benchmark entry (`npm run bench:audio [-- --short]`). The benchmark is TypeScript that imports the engine's
// sources; Vite's module runner (already a dev dependency, no extra TS runner needed) loads it without a build step.
// Needs the PulseAudio rig: bash scripts/audio-rig.sh start
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

// Capture from the rig's remapped mic source, the same true timeline the reference recording uses (a null sink's
// .monitor runs about one block early, which would flatter the microphone figure). libpulse reads PULSE_SOURCE.
process.env.PULSE_SOURCE ??= 'mic_timeline';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { module } = await runnerImport(resolve(root, 'bench/audio/run.ts'), {
  root,
  configFile: false,
  logLevel: 'error',
});
const code = await module.main(process.argv.slice(2));
// naudiodon's threads can keep the event loop alive briefly after close; the figures are printed, so leave now.
process.exit(code);
