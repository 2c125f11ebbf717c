#!/usr/bin/env node
// The benchmark's floor: the least any push-to-talk client can do while a key is held, in a process of its own.
// It captures from the same microphone at the same 24 kHz / 20 ms as the app, and sends every chunk, as base64 in
// an input_audio_buffer.append, over a WebSocket to the same server process. Nothing else: no turn machine, no
// event log, no level meter, no window. The app's CPU during a press, minus this, is what the app's own code costs;
// this is what the machine charges for a microphone thread, a wake-up and a socket send 50 times a second.
// Usage: node bench/audio/floor-process.mjs <ws-url> <ms>; prints the CPU % of one core, then exits.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const naudiodon = require('naudiodon');
const { WebSocket } = require('ws');

const [url, msArg] = process.argv.slice(2);
const ms = Number(msArg);
const sleep = (t) => new Promise((resolve) => setTimeout(resolve, t));

const ws = new WebSocket(url, {
  headers: { Authorization: 'Bearer sk-bench-0123456789abcdefghijklmnop' },
  perMessageDeflate: false,
});
await new Promise((resolve, reject) => {
  ws.once('open', resolve);
  ws.once('error', reject);
});
// The app's InputPump options (src/main/adapters/naudiodon/input.ts) at the default 20 ms period.
const frames = 480;
const mic = naudiodon.AudioIO({
  inOptions: {
    channelCount: 1,
    sampleFormat: naudiodon.SampleFormat16Bit,
    sampleRate: 24000,
    deviceId: -1,
    closeOnError: false,
    framesPerBuffer: frames,
    highwaterMark: frames * 2,
    maxQueue: 100,
  },
});
let chunks = 0;
mic.on('data', (chunk) => {
  chunks++;
  ws.send(JSON.stringify({ type: 'input_audio_buffer.append', audio: chunk.toString('base64') }));
});
mic.start();
await sleep(3000); // the stream settles, the send path is optimised
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const chunks0 = chunks;
await sleep(ms);
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - t0;
if ((chunks - chunks0) * 20 < wall * 0.9) {
  console.error(`floor: the microphone delivered ${chunks - chunks0} chunks in ${Math.round(wall)} ms`);
  process.exit(1);
}
console.log(((cpu.user + cpu.system) / 1000 / wall) * 100);
ws.close();
mic.quit(() => process.exit(0));
setTimeout(() => process.exit(0), 1500).unref();
