import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher } from '../../../src/main/ipc/dispatch';
import { startWebServer, type WebServer } from '../../../src/main/web/server';
import { COMMAND_NAMES } from '../../../src/shared/channels';
import type { EventName } from '../../../src/shared/contract';
import { connectWebSocketApi } from '../../../src/renderer/src/bridge/websocket';
import { unwrap } from '../../../src/renderer/src/bridge/unwrap';
import { echoHandlers, validRequests } from '../../helpers/contract-samples';

let server: WebServer;
let emit: (name: EventName, payload: unknown) => void = () => undefined;
let calls: Array<{ name: string; payload: unknown }>;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  calls = [];
  const rendererDir = mkdtempSync(join(tmpdir(), 'talkie-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Talkie</title>');
  server = await startWebServer({
    dispatch: createDispatcher(echoHandlers(calls)),
    events: (listener) => {
      emit = listener;
      return () => (emit = () => undefined);
    },
    rendererDir,
    port: 0,
  });
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server.close();
});

/** The renderer's real WebSocket bridge, run in Node with `ws` standing in for the browser's WebSocket. */
function browserBridge(origin = `http://127.0.0.1:${server.port}`): ReturnType<typeof unwrap> {
  class BrowserLikeWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
      // Browsers report socket errors through onerror/onclose; `ws` would throw without a listener.
      this.on('error', () => undefined);
      sockets.push(this);
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = BrowserLikeWebSocket;
  const url = new URL(server.url);
  return unwrap(connectWebSocketApi({ host: url.host, search: url.search }));
}

/** Resolves with the HTTP status the upgrade got (101 when accepted). */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    sockets.push(ws);
    ws.on('open', () => resolve(101));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('browser-mode transport', () => {
  it('prints a 127.0.0.1 page URL carrying a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('round-trips every command of the contract through the renderer bridge', async () => {
    const bridge = browserBridge();
    for (const name of COMMAND_NAMES) {
      const call = bridge[name] as (request: unknown) => Promise<unknown>;
      await expect(call(validRequests[name])).resolves.toEqual({ answered: name });
    }
    expect(calls.map((c) => c.name)).toEqual([...COMMAND_NAMES]);
  });

  it('delivers events to subscribers and stops after unsubscribe', async () => {
    const bridge = browserBridge();
    const seen: unknown[] = [];
    const off = bridge.on('notice', (payload) => seen.push(payload));
    await bridge['app.snapshot']({}); // the socket is open once a command has round-tripped
    emit('notice', { id: 'n1', level: 'info', text: 'hello', at: 1 });
    await expect.poll(() => seen.length).toBe(1);
    off();
    emit('notice', { id: 'n2', level: 'info', text: 'again', at: 2 });
    await bridge['app.snapshot']({});
    expect(seen).toEqual([{ id: 'n1', level: 'info', text: 'hello', at: 1 }]);
  });

  it('rejects an invalid payload with a clear error and keeps serving', async () => {
    const bridge = browserBridge();
    await expect(bridge['settings.update']({ stallTimeoutMs: 1 })).rejects.toThrow(
      /Invalid request for settings.update: stallTimeoutMs: At least 2 seconds/,
    );
    await expect(bridge['message.send']({ text: 'still here' })).resolves.toEqual({
      answered: 'message.send',
    });
  });

  it('answers garbage frames with an error instead of dropping the connection', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
      origin: `http://127.0.0.1:${server.port}`,
    });
    sockets.push(ws);
    await new Promise((resolve) => ws.once('open', resolve));
    const replies: unknown[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    ws.send('not json');
    ws.send(JSON.stringify({ id: 7, command: 'no.such.command', payload: {} }));
    ws.send(JSON.stringify({ id: 8, command: 'app.snapshot', payload: {} }));
    await expect.poll(() => replies.length).toBe(3);
    expect(replies[0]).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid-request' } } });
    expect(replies[1]).toMatchObject({ id: 7, result: { ok: false, error: { code: 'unknown-command' } } });
    expect(replies[2]).toEqual({ id: 8, result: { ok: true, value: { answered: 'app.snapshot' } } });
  });

  it('refuses a WebSocket without the token or with a wrong one', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/api`, origin)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/api?token=wrong`, origin)).toBe(401);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, origin)).toBe(101);
  });

  it('refuses a foreign or missing Origin even with the right token', async () => {
    const url = `ws://127.0.0.1:${server.port}/api?token=${server.token}`;
    expect(await upgradeStatus(url, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(url, `http://127.0.0.1:${server.port + 1}`)).toBe(403);
    expect(await upgradeStatus(url)).toBe(403);
  });

  it('refuses requests whose Host is not loopback (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { host: `evil.example:${server.port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('listens on 127.0.0.1 only: another loopback address is not served', async () => {
    // A socket bound to 0.0.0.0 or to every loopback address would answer on 127.0.0.2 too.
    await expect(fetch(`http://127.0.0.2:${server.port}/`)).rejects.toThrow();
    const ok = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(ok.status).toBe(200);
  });

  it('serves the page with a strict Content-Security-Policy and no path escapes', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(await res.text()).toContain('<title>Talkie</title>');
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(escape.status).toBe(404);
  });
});

describe('browser-mode bridge when the server is gone', () => {
  it('answers in words and never replays a queued command after the socket returns', async () => {
    const port = server.port;
    const calls0 = calls.length;
    await server.close();
    class BrowserLikeWebSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin: `http://127.0.0.1:${port}` });
        this.on('error', () => undefined);
        sockets.push(this);
      }
    }
    (globalThis as { WebSocket?: unknown }).WebSocket = BrowserLikeWebSocket;
    const bridge = unwrap(connectWebSocketApi({ host: `127.0.0.1:${port}`, search: '?token=whatever' }));
    await expect(bridge['talk.press']({ source: 'button' })).rejects.toThrow(
      /Can't reach Talkie at this address/,
    );
    // Restart on the same port: the earlier press must not arrive there.
    server = await startWebServer({
      dispatch: createDispatcher(echoHandlers(calls)),
      events: () => () => undefined,
      rendererDir: mkdtempSync(join(tmpdir(), 'talkie-renderer-')),
      port,
      token: 'whatever',
    });
    await expect
      .poll(() => bridge['app.snapshot']({}).catch(() => null), { timeout: 10_000 })
      .toEqual({
        answered: 'app.snapshot',
      });
    expect(calls.slice(calls0).map((c) => c.name)).not.toContain('talk.press');
  });
});
