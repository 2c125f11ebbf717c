#!/usr/bin/env node
// Runs a bundled benchmark (bench-runner.mjs's bundleAndRun) in a fresh process: `bench-main.mjs <bundle> [args…]`.
import { pathToFileURL } from 'node:url';

const [bundle, ...args] = process.argv.slice(2);
const module = await import(pathToFileURL(bundle).href);
// Native audio threads can keep the event loop alive briefly after close; the figures are printed, so leave now.
process.exit(await module.main(args));
