#!/usr/bin/env node
// Audio benchmark entry (`npm run bench:audio [-- --short] [--browser]`). Needs the PulseAudio rig: bash scripts/audio-rig.sh start
// Bundled and run like the other benchmarks (scripts/bench-runner.mjs): Vite's module runner would wrap every import
// and carry its own transform and source-map machinery in the measured process. On Node 20 it runs with --maglev:
// without it a function called once per audio frame runs unoptimised for much of the first minute, far longer than
// in the shipped app.
import { fileURLToPath } from 'node:url';
import { bundleAndRun, onElectronTiers, root } from './bench-runner.mjs';

onElectronTiers(fileURLToPath(import.meta.url));

// Capture from the rig's remapped mic source, the same true timeline the reference recording uses (a null sink's
// .monitor runs about one block early, which would flatter the microphone figure). libpulse reads PULSE_SOURCE.
process.env.PULSE_SOURCE ??= 'mic_timeline';
process.env.TALKIE_ROOT = root;
process.exit(await bundleAndRun('bench/audio/run.ts', 'bench'));
