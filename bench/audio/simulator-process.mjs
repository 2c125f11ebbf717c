#!/usr/bin/env node
// The benchmark's Realtime server, in a process of its own as the real one is: the CPU and RSS figures are the app
// core's, so the stand-in server's JSON parsing, schema checks and base64 decoding must not be counted with them,
// and its pacing must not wait for the app's main thread.
// Arguments: the audio pacing as JSON (see AudioPacing), default `realtime`; then options as JSON:
// `{ "replyTone": { "seconds": 1.2, "amp": 0.4 } }` makes every audio reply that tone sequence.
// Prints one line, the ws:// URL, then runs until stdin closes (the benchmark exiting ends it too). Each line on
// stdin is a new pacing (JSON) for the replies that follow.
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { runnerImport } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const load = async (path) =>
  (await runnerImport(resolve(root, path), { root, configFile: false, logLevel: 'error' })).module;
const { startSimulator } = await load('src/main/core/simulator/index.ts');
const pacingArg = process.argv[2] ? JSON.parse(process.argv[2]) : 'realtime';
// The simulator reads its pacing at each reply: lines on stdin change this object's fields.
const audioPacing = typeof pacingArg === 'object' ? { ...pacingArg } : pacingArg;
const options = process.argv[3] ? JSON.parse(process.argv[3]) : {};
let replyAudio;
if (options.replyTone) {
  const { toneSequence, toInt16 } = await load('test/helpers/audio/signals.ts');
  const tone = toInt16(toneSequence(24000, options.replyTone.seconds, options.replyTone.amp));
  replyAudio = () => tone;
}
const handle = await startSimulator({
  port: 0,
  record: false,
  audioPacing,
  ...(replyAudio ? { replyAudio } : {}),
});
process.stdout.write(`${handle.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() && typeof audioPacing === 'object') Object.assign(audioPacing, JSON.parse(line));
});
lines.on('close', () => void handle.close().then(() => process.exit(0)));
