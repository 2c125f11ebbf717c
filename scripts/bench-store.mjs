#!/usr/bin/env node
// Conversation store benchmark entry (`npm run bench:store [-- --turns N]`): bundled and run like the other
// benchmarks (scripts/bench-runner.mjs), so the figures are for the store in the form users run.
import { bundleAndRun } from './bench-runner.mjs';

process.exitCode = await bundleAndRun('bench/store/run.ts', 'bench-store');
