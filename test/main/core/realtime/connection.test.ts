import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer as createNetServer, type AddressInfo, type Socket as NetSocket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Clock } from '../../../../src/main/core/clock';
import {
  backoffDelay,
  createConnection,
  type ConnectionOptions,
} from '../../../../src/main/core/realtime/connection';
import type {
  ConnectionStatus,
  Endpoint,
  RealtimeConnection,
  RealtimeServerEvent,
  UnknownServerEvent,
} from '../../../../src/main/core/realtime/connection-types';
import { freePort, startTestServer, type TestServer } from './ws-test-server';
import { waitForStatus } from './wait-for-status';

const KEY = 'sk-test-connection-0123456789';

/** Real timers, with a record of what was scheduled (so "no retry" is checked, not waited for). */
class RecordingClock implements Clock {
  scheduled: number[] = [];
  private live = new Set<ReturnType<typeof setTimeout>>();
  now(): number {
    return Date.now();
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.scheduled.push(ms);
    const handle = setTimeout(() => {
      this.live.delete(handle);
      fn();
    }, ms);
    this.live.add(handle);
    return handle;
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
    this.live.delete(handle as ReturnType<typeof setTimeout>);
  }
  get pending(): number {
    return this.live.size;
  }
  dispose(): void {
    for (const h of this.live) clearTimeout(h);
    this.live.clear();
  }
}

const servers: TestServer[] = [];
const connections: RealtimeConnection[] = [];
const clocks: RecordingClock[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  for (const c of clocks.splice(0)) c.dispose();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  vi.restoreAllMocks();
});

async function server(port?: number): Promise<TestServer> {
  const s = await startTestServer(port);
  servers.push(s);
  return s;
}

function endpointFor(url: string, provider: Endpoint['provider'] = 'custom'): Endpoint {
  return { provider, url, headers: { Authorization: `Bearer ${KEY}` } };
}

function open(
  endpoint: Endpoint,
  options: ConnectionOptions = {},
): {
  conn: RealtimeConnection;
  statuses: ConnectionStatus[];
  clock: RecordingClock;
} {
  const clock = new RecordingClock();
  clocks.push(clock);
  const conn = createConnection(endpoint, {
    backoff: { initialMs: 20, maxMs: 80, factor: 2, jitter: 0 },
    keepAlive: false,
    clock,
    ...options,
  });
  connections.push(conn);
  const statuses: ConnectionStatus[] = [];
  conn.onStatus((s) => statuses.push(s));
  return { conn, statuses, clock };
}

const state = (name: ConnectionStatus['state']) => (s: ConnectionStatus) => s.state === name;

function nextEvent(conn: RealtimeConnection, type?: string): Promise<RealtimeServerEvent> {
  return new Promise((resolve) => {
    const off = conn.onEvent((e) => {
      if (type === undefined || e.type === type) {
        off();
        resolve(e);
      }
    });
  });
}

const sessionCreated = JSON.stringify({
  type: 'session.created',
  event_id: 'e1',
  session: { id: 'sess_1', instructions: '' },
});

describe('createConnection against a real ws server', () => {
  it('connects with the endpoint headers and reports connecting then connected', async () => {
    const srv = await server();
    const { conn, statuses } = open(endpointFor(srv.url));
    expect(conn.status.state).toBe('closed');
    conn.connect();
    await waitForStatus(conn, state('connected'));
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'connected']);
    expect(srv.upgrades[0]!.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(srv.upgrades[0]!.headers['openai-beta']).toBeUndefined();
    expect(srv.upgrades[0]!.url).toBe('/v1/realtime?model=test-model');
  });

  it('delivers parsed GA events and sends client events as JSON', async () => {
    const srv = await server();
    srv.onConnection = (ws) => ws.send(sessionCreated);
    const { conn } = open(endpointFor(srv.url));
    const first = nextEvent(conn);
    conn.connect();
    const event = await first;
    expect(event.type).toBe('session.created');
    expect(conn.send({ type: 'input_audio_buffer.clear' })).toBe(true);
    await vi.waitFor(() => expect(srv.received).toEqual([{ type: 'input_audio_buffer.clear' }]));
  });

  it('refuses to send while not connected', async () => {
    const srv = await server();
    const { conn } = open(endpointFor(srv.url));
    expect(conn.send({ type: 'input_audio_buffer.clear' })).toBe(false);
    conn.connect();
    await waitForStatus(conn, state('connected'));
    conn.close();
    expect(conn.status.state).toBe('closed');
    expect(conn.send({ type: 'input_audio_buffer.clear' })).toBe(false);
  });

  it.each([401, 403])('fails with "key rejected" words on HTTP %i and does not retry', async (status) => {
    const srv = await server();
    srv.refuseWith = status;
    const { conn, clock } = open(endpointFor(srv.url));
    conn.connect();
    const failed = await waitForStatus(conn, state('failed'));
    expect(failed).toEqual({
      state: 'failed',
      code: 'auth',
      reason: `The API key was rejected (HTTP ${status}). Check it in Settings.`,
    });
    expect(clock.scheduled).toEqual([]); // no reconnect was ever scheduled
    expect(srv.upgrades).toHaveLength(1);
  });

  it('fails on HTTP 404 with words naming the path and the model', async () => {
    const srv = await server();
    srv.refuseWith = 404;
    const { conn, clock } = open(endpointFor(srv.url, 'openai'));
    conn.connect();
    const failed = await waitForStatus(conn, state('failed'));
    expect(failed.code).toBe('not-found');
    expect(failed.reason).toContain(`127.0.0.1:${srv.port}/v1/realtime`);
    expect(failed.reason).toContain('"test-model"');
    expect(clock.scheduled).toEqual([]);
  });

  it('names the Azure deployment on a 404 from an Azure endpoint', async () => {
    const srv = await server();
    srv.refuseWith = 404;
    const { conn } = open({
      provider: 'azure',
      url: `ws://127.0.0.1:${srv.port}/openai/v1/realtime?model=my-dep`,
      headers: { 'api-key': KEY },
    });
    conn.connect();
    const failed = await waitForStatus(conn, state('failed'));
    expect(failed.reason).toMatch(/deployment "my-dep"/);
    expect(srv.upgrades[0]!.headers['api-key']).toBe(KEY);
  });

  it.each([
    [429, 'rate_limited'],
    [503, 'server_error'],
  ])('retries with backoff after HTTP %i', async (status, code) => {
    const srv = await server();
    srv.refuseWith = status;
    const { conn } = open(endpointFor(srv.url));
    conn.connect();
    const retrying = await waitForStatus(conn, state('reconnecting'));
    expect(retrying.code).toBe(code);
    expect(retrying.reason).toContain(`HTTP ${status}`);
    srv.refuseWith = null;
    await waitForStatus(conn, state('connected'));
  });

  it('keeps retrying an unreachable server with growing delays, then connects when it appears', async () => {
    const port = await freePort();
    const { conn, clock } = open(endpointFor(`ws://127.0.0.1:${port}/v1/realtime`));
    conn.connect();
    const first = await waitForStatus(conn, state('reconnecting'));
    expect(first.code).toBe('unreachable');
    expect(first.reason).toBe(
      `Can't reach 127.0.0.1:${port}: the connection was refused (is the server running on that port?)`,
    );
    expect(first.retryAt).toBeTypeOf('number');
    await vi.waitFor(() => expect(clock.scheduled.length).toBeGreaterThanOrEqual(3));
    expect(clock.scheduled.slice(0, 3)).toEqual([20, 40, 80]);
    await server(port);
    await waitForStatus(conn, state('connected'));
  });

  it('reconnects on a new socket when the server drops the connection', async () => {
    const srv = await server();
    const { conn, statuses } = open(endpointFor(srv.url));
    const firstSocket = srv.nextSocket();
    conn.connect();
    await waitForStatus(conn, state('connected'));
    (await firstSocket).terminate();
    const retry = await waitForStatus(conn, state('reconnecting'));
    expect(retry.code).toBe('dropped');
    expect(retry.reason).toMatch(/connection dropped/);
    await waitForStatus(conn, state('connected'));
    expect(srv.sockets).toHaveLength(2);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('starts a new session at once after session_expired', async () => {
    const srv = await server();
    let n = 0;
    srv.onConnection = (ws: WebSocket) => {
      n++;
      if (n === 1) {
        ws.send(
          JSON.stringify({
            type: 'error',
            event_id: 'e9',
            error: {
              type: 'invalid_request_error',
              code: 'session_expired',
              message: 'Your session hit the maximum duration of 60 minutes.',
            },
          }),
        );
        setTimeout(() => ws.close(1001, 'session expired'), 5);
      } else {
        ws.send(sessionCreated);
      }
    };
    const { conn, clock } = open(endpointFor(srv.url));
    const errorEvent = nextEvent(conn, 'error');
    conn.connect();
    expect((await errorEvent).type).toBe('error'); // the turn machine sees the error too
    const expired = await waitForStatus(conn, state('reconnecting'));
    expect(expired).toMatchObject({
      code: 'session_expired',
      reason: 'The server ended the session after its time limit; starting a new one.',
    });
    const fresh = nextEvent(conn, 'session.created');
    await waitForStatus(conn, state('connected'));
    await fresh;
    expect(clock.scheduled).toContain(0);
    expect(srv.sockets).toHaveLength(2);
  });

  it('treats a bare close 1001 as the session time limit and reconnects', async () => {
    const srv = await server();
    let n = 0;
    srv.onConnection = (ws) => {
      if (++n === 1) ws.close(1001);
    };
    const { conn } = open(endpointFor(srv.url));
    conn.connect();
    const expired = await waitForStatus(conn, (s) => s.state === 'reconnecting');
    expect(expired.code).toBe('session_expired');
    await waitForStatus(conn, state('connected'));
  });

  it('fails for good on beta_api_shape_disabled followed by close 4000', async () => {
    const srv = await server();
    srv.onConnection = (ws) => {
      ws.send(
        JSON.stringify({
          type: 'error',
          event_id: 'e1',
          error: {
            type: 'invalid_request_error',
            code: 'beta_api_shape_disabled',
            message: 'The Realtime Beta API is no longer supported.',
          },
        }),
      );
      ws.close(4000, 'beta disabled');
    };
    const { conn, clock } = open(endpointFor(srv.url));
    conn.connect();
    const failed = await waitForStatus(conn, state('failed'));
    expect(failed.code).toBe('beta_api_shape_disabled');
    expect(failed.reason).toMatch(/^This server no longer accepts the old beta protocol/);
    expect(clock.scheduled.filter((ms) => ms !== 2000)).toEqual([]); // only the close grace timer
    expect(srv.upgrades).toHaveLength(1);
  });

  it('reconnects after a close 4000 that is not the beta refusal', async () => {
    const srv = await server();
    srv.onConnection = (ws) => ws.close(4000, 'going away for maintenance');
    const { conn } = open(endpointFor(srv.url));
    conn.connect();
    const dropped = await waitForStatus(conn, state('reconnecting'));
    expect(dropped.code).toBe('closed_by_server');
    expect(dropped.reason).toContain('code 4000');
  });

  it('reports a malformed frame and still delivers the next good event', async () => {
    const srv = await server();
    srv.onConnection = (ws) => {
      ws.send('{"type": "response.done", oops');
      ws.send(JSON.stringify({ type: 'response.output_text.delta', response_id: 'r' }));
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
      ws.send(sessionCreated);
    };
    const { conn } = open(endpointFor(srv.url));
    const malformed: Array<[string, string]> = [];
    conn.onMalformed((raw, problem) => malformed.push([raw, problem]));
    const good = nextEvent(conn, 'session.created');
    conn.connect();
    await good;
    expect(malformed).toHaveLength(3);
    expect(malformed[0]![0]).toBe('{"type": "response.done", oops');
    expect(malformed[0]![1]).toMatch(/^Not valid JSON/);
    expect(malformed[1]![1]).toMatch(/^response\.output_text\.delta: /);
    expect(malformed[2]).toEqual([
      '<binary frame 3 bytes>',
      'A binary frame: the Realtime protocol sends JSON text',
    ]);
    expect(conn.status.state).toBe('connected');
  });

  it('passes events of unknown types to onUnknown, not onEvent', async () => {
    const srv = await server();
    srv.onConnection = (ws) => {
      ws.send(JSON.stringify({ type: 'response.text.delta', delta: 'beta name' }));
      ws.send(sessionCreated);
    };
    const { conn } = open(endpointFor(srv.url));
    const unknown: UnknownServerEvent[] = [];
    const known: string[] = [];
    conn.onUnknown((e) => unknown.push(e));
    conn.onEvent((e) => known.push(e.type));
    const good = nextEvent(conn, 'session.created');
    conn.connect();
    await good;
    expect(unknown).toEqual([{ type: 'response.text.delta', delta: 'beta name' }]);
    expect(known).toEqual(['session.created']);
  });

  it('survives a listener that throws: the socket stays up and later events arrive', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const srv = await server();
    srv.onConnection = (ws) => {
      ws.send(sessionCreated);
      ws.send(JSON.stringify({ type: 'input_audio_buffer.cleared', event_id: 'e2' }));
    };
    const { conn } = open(endpointFor(srv.url));
    conn.onEvent(() => {
      throw new Error('listener bug');
    });
    conn.onStatus(() => {
      throw new Error('status listener bug');
    });
    const second = nextEvent(conn, 'input_audio_buffer.cleared');
    conn.connect();
    await second;
    expect(conn.status.state).toBe('connected');
    expect(conn.send({ type: 'input_audio_buffer.clear' })).toBe(true);
    expect(errors).toHaveBeenCalled();
  });

  it('close() ends the connection without reconnecting', async () => {
    const srv = await server();
    const { conn, statuses, clock } = open(endpointFor(srv.url));
    const sock = srv.nextSocket();
    conn.connect();
    await waitForStatus(conn, state('connected'));
    const ws = await sock;
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    conn.close();
    expect(await closed).toBe(1000);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'connected', 'closed']);
    expect(clock.scheduled.filter((ms) => ms !== 2000)).toEqual([]);
    expect(srv.upgrades).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last problem in the words', async () => {
    const port = await freePort();
    const { conn } = open(endpointFor(`ws://127.0.0.1:${port}/`), { maxAttempts: 2 });
    conn.connect();
    const failed = await waitForStatus(conn, state('failed'));
    expect(failed.code).toBe('gave_up');
    expect(failed.reason).toMatch(/^Gave up after 2 attempts\. Last problem: Can't reach 127\.0\.0\.1:/);
  });

  it('connect() again after a failure starts over', async () => {
    const srv = await server();
    srv.refuseWith = 401;
    const { conn } = open(endpointFor(srv.url));
    conn.connect();
    await waitForStatus(conn, state('failed'));
    srv.refuseWith = null;
    conn.connect();
    await waitForStatus(conn, state('connected'));
    expect(srv.upgrades).toHaveLength(2);
  });

  it('words a server that accepts TCP but never answers the upgrade as a timeout', async () => {
    const silent = createNetServer((socket) => socket.on('error', () => undefined));
    const sockets = new Set<NetSocket>();
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const { port } = silent.address() as AddressInfo;
    try {
      const { conn } = open(endpointFor(`ws://127.0.0.1:${port}/`), { handshakeTimeoutMs: 50 });
      conn.connect();
      const retry = await waitForStatus(conn, state('reconnecting'));
      expect(retry.code).toBe('unreachable');
      expect(retry.reason).toBe(`Can't reach 127.0.0.1:${port}: the connection timed out`);
      conn.close();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('connect() while waiting out a backoff tries at once', async () => {
    const port = await freePort();
    const { conn, clock } = open(endpointFor(`ws://127.0.0.1:${port}/`), {
      backoff: { initialMs: 60_000, maxMs: 60_000, factor: 2, jitter: 0 },
    });
    conn.connect();
    await waitForStatus(conn, state('reconnecting'));
    expect(clock.scheduled).toEqual([60_000]);
    await server(port);
    conn.connect();
    await waitForStatus(conn, state('connected'));
  });

  it('fails at once on a URL the socket cannot use', async () => {
    const { conn, clock } = open(endpointFor('ws://'));
    conn.connect();
    const failed = await waitForStatus(conn, state('failed'));
    expect(failed.code).toBe('invalid_url');
    expect(clock.scheduled).toEqual([]);
  });

  it('detects a silent peer with keep-alive pings and reconnects', async () => {
    const srv = await server();
    const { conn } = open(endpointFor(srv.url), { keepAlive: { intervalMs: 20, timeoutMs: 30 } });
    const sock = srv.nextSocket();
    conn.connect();
    await waitForStatus(conn, state('connected'));
    // Freeze the peer: its TCP socket stops reading, so pings go unanswered.
    const ws = await sock;
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const retry = await waitForStatus(conn, state('reconnecting'));
    expect(retry.code).toBe('dropped');
    await waitForStatus(conn, state('connected'));
  });
});

describe('backoffDelay', () => {
  const opts = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.25 };
  it('doubles from the initial delay and stops at the cap', () => {
    const mid = () => 0.5; // no jitter offset
    expect([1, 2, 3, 4, 10, 50].map((n) => backoffDelay(n, opts, mid))).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000,
    ]);
  });
  it('spreads delays by the jitter fraction either way', () => {
    expect(backoffDelay(1, opts, () => 0)).toBe(375);
    expect(backoffDelay(1, opts, () => 0.999999)).toBe(625);
  });
});
