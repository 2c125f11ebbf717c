#!/usr/bin/env node
// Turn-path benchmark entry (`npm run bench:turns [-- --quick]`): what one microphone frame costs the core with
// 10, 1 000 and 10 000 turns in the conversation.
import { fileURLToPath } from 'node:url';
import { bundleAndRun, onElectronTiers } from './bench-runner.mjs';

onElectronTiers(fileURLToPath(import.meta.url));
process.exit(await bundleAndRun('bench/turns/run.ts', 'bench-turns'));
