#!/usr/bin/env node
// The benchmark's Realtime server, in a process of its own: the CPU and RSS figures are the app core's, so the
// stand-in server's JSON parsing, schema checks and base64 decoding must not be counted with them.
// Argument: the audio pacing as JSON (see AudioPacing), default `realtime`.
// Prints one line, the ws:// URL, then runs until stdin closes (the benchmark exiting ends it too).
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { module } = await runnerImport(resolve(root, 'src/main/core/simulator/index.ts'), {
  root,
  configFile: false,
  logLevel: 'error',
});
const audioPacing = process.argv[2] ? JSON.parse(process.argv[2]) : 'realtime';
const handle = await module.startSimulator({ port: 0, record: false, audioPacing });
process.stdout.write(`${handle.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void handle.close().then(() => process.exit(0)));
