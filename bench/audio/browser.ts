/**
 * The browser-client mode of the audio benchmark (`npm run bench:audio -- --browser`): the standard web push-to-talk
 * client (bench/audio/browser-client/, plain JS, the realtime console's way) in headless Chromium on the rig's
 * devices, driven by the benchmark through Playwright against the benchmark's own server. This file only starts and
 * drives it; run.ts measures it with the same recordings and the same code as Talkie.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { WebSocketServer, type WebSocket } from 'ws';

/** What the page reports once its socket, microphone and player are up. */
export interface BrowserClientInfo {
  microphone: string;
  settings: Record<string, unknown>;
  captureState: string;
  playbackState: string;
  baseLatency: number;
  outputLatency: number;
}

/** The browser client, running. Times are in the benchmark's clock (performance.now() ms). */
export interface BrowserClient {
  info: BrowserClientInfo;
  /** The PulseAudio source Chromium's capture stream reads from, and the sink its playback goes to. */
  devices: { source: string; sink: string };
  /** Page clock minus ours (ms), and the round trip of the best of the pings that measured it. */
  clock: { offsetMs: number; rttMs: number };
  press(): Promise<void>;
  /** Sends the rest of the frame, commit and response.create (text-only when `text`). */
  release(text?: boolean): Promise<void>;
  /** Appends sent since the last call, with their send times. */
  takeAppends(): Promise<{ at: number; samples: Int16Array }[]>;
  /** Receive time of each response's first audio delta so far, in order. */
  firstDeltas(): Promise<number[]>;
  responsesDone(): Promise<number>;
  /** Error events the server sent the page, and errors thrown in it. */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

const DIR = join(process.env.TALKIE_ROOT ?? process.cwd(), 'bench/audio/browser-client');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

/** The Chromium to drive: CHROMIUM_PATH, else Debian's (as playwright.config.ts), else Playwright's own. */
function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

/** Which source and sink PulseAudio says Chromium's streams use (by application name). */
function chromiumDevices(): { source: string; sink: string } {
  type Entry = {
    index: number;
    name: string;
    properties?: Record<string, string>;
    source?: number;
    sink?: number;
  };
  const list = (kind: string): Entry[] => {
    const out = spawnSync('pactl', ['--format=json', 'list', kind], { encoding: 'utf8' });
    return out.status === 0 ? (JSON.parse(out.stdout) as Entry[]) : [];
  };
  const names = (kind: string): Map<number, string> => new Map(list(kind).map((i) => [i.index, i.name]));
  const ours = (s: { properties?: Record<string, string> }): boolean =>
    /chrom/i.test(s.properties?.['application.name'] ?? '') ||
    /chrom/i.test(s.properties?.['application.process.binary'] ?? '');
  const sources = names('sources');
  const sinks = names('sinks');
  const source = list('source-outputs')
    .filter(ours)
    .map((s) => sources.get(s.source ?? -1) ?? '?');
  const sink = list('sink-inputs')
    .filter(ours)
    .map((s) => sinks.get(s.sink ?? -1) ?? '?');
  return { source: source.join(',') || '(none)', sink: sink.join(',') || '(none)' };
}

/** Serves the page and the clock socket from 127.0.0.1, launches Chromium and opens the page against `realtimeUrl`. */
export async function startBrowserClient(realtimeUrl: string): Promise<BrowserClient> {
  const http: Server = createServer((req, res) => {
    const name = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = join(DIR, name);
    if (!file.startsWith(DIR) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[name.slice(name.lastIndexOf('.'))] ?? 'text/plain' });
    res.end(readFileSync(file));
  });
  const wss = new WebSocketServer({ server: http, path: '/clock' });
  const clockSocket = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      // Playwright mutes headless Chromium; the speaker figure needs its sound.
      ignoreDefaultArgs: ['--mute-audio'],
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
      ],
      // Chromium's default devices through libpulse: the true microphone timeline (as Talkie's capture, see
      // scripts/bench-audio.mjs) and the virtual speaker.
      env: { ...process.env, PULSE_SOURCE: 'mic_timeline', PULSE_SINK: 'virtual_speaker' },
    });
    const page: Page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const query = new URLSearchParams({
      ws: realtimeUrl,
      clock: `ws://127.0.0.1:${port}/clock`,
      mic: 'mic_timeline',
    });
    await page.goto(`http://127.0.0.1:${port}/index.html?${query.toString()}`);
    const info = (await page.evaluate('window.benchReady').catch((e: Error) => {
      throw new Error(`the browser client did not start: ${e.message} ${errors.join('; ')}`);
    })) as BrowserClientInfo;

    // Page clock minus ours, from the ping with the shortest round trip (loopback: well under a millisecond).
    const socket = await clockSocket;
    let best = { offsetMs: 0, rttMs: Infinity };
    for (let i = 0; i < 40; i++) {
      const sent = performance.now();
      const reply = await new Promise<number>((resolve) => {
        socket.once('message', (data) => resolve(Number(data.toString())));
        socket.send('ping');
      });
      const back = performance.now();
      if (back - sent < best.rttMs) best = { offsetMs: reply - (sent + back) / 2, rttMs: back - sent };
    }
    const clock = best;
    const ours = (pageMs: number): number => pageMs - clock.offsetMs;
    // Streams show in PulseAudio once the contexts run.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const devices = chromiumDevices();
    const opened = browser;
    return {
      info,
      devices,
      clock,
      press: () => page.evaluate('window.benchPress()') as Promise<void>,
      release: (text = false) => page.evaluate(`window.benchRelease(${text})`) as Promise<void>,
      takeAppends: async () => {
        const appends = (await page.evaluate(
          '(() => { const a = window.benchLog.appends; window.benchLog.appends = []; return a; })()',
        )) as { at: number; audio: string }[];
        return appends.map((a) => {
          const bytes = Buffer.from(a.audio, 'base64');
          return {
            at: ours(a.at),
            samples: new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2).slice(),
          };
        });
      },
      firstDeltas: async () =>
        ((await page.evaluate('window.benchLog.firstDeltas.map((d) => d.at)')) as number[]).map(ours),
      responsesDone: () => page.evaluate('window.benchLog.done') as Promise<number>,
      errors: async () => [...errors, ...((await page.evaluate('window.benchLog.errors')) as string[])],
      close: async () => {
        await opened.close();
        wss.close();
        http.close();
      },
    };
  } catch (error) {
    await browser?.close();
    wss.close();
    http.close();
    throw error;
  }
}
