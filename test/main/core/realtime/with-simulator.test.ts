/**
 * The connection, parser and GA dialect against the project's local GA simulator: every frame it sends
 * must parse as a known event, and the dialect must decode the reply the simulator describes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createConnection, type ConnectionOptions } from '../../../../src/main/core/realtime/connection';
import type {
  Endpoint,
  RealtimeConnection,
  RealtimeServerEvent,
} from '../../../../src/main/core/realtime/connection-types';
import { decode } from '../../../../src/main/core/realtime/ga-dialect';
import type { ServerInput } from '../../../../src/main/core/turn/types';
import { startSimulator, type SimulatorHandle } from '../../../../src/main/core/simulator';
import { waitForStatus } from './wait-for-status';

const KEY = 'sk-test-simulator-0123456789';

const sims: SimulatorHandle[] = [];
const conns: RealtimeConnection[] = [];
afterEach(async () => {
  for (const c of conns.splice(0)) c.close();
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

interface Harness {
  conn: RealtimeConnection;
  events: RealtimeServerEvent[];
  problems: string[];
  /** What the turn machine would be told, in order. */
  inputs: ServerInput[];
}

function connectTo(url: string, key: string, options: ConnectionOptions = {}): Harness {
  const endpoint: Endpoint = { provider: 'custom', url, headers: { Authorization: `Bearer ${key}` } };
  const conn = createConnection(endpoint, {
    backoff: { initialMs: 20, maxMs: 80, jitter: 0 },
    keepAlive: false,
    ...options,
  });
  conns.push(conn);
  const events: RealtimeServerEvent[] = [];
  const problems: string[] = [];
  const inputs: ServerInput[] = [];
  conn.onEvent((e) => {
    events.push(e);
    const input = decode(e, 'audio/pcm');
    if (input) inputs.push(input);
  });
  conn.onUnknown((e) => problems.push(`unknown ${e.type}`));
  conn.onMalformed((_raw, problem) => problems.push(`malformed: ${problem}`));
  return { conn, events, problems, inputs };
}

function waitForEvent(h: Harness, type: string, count = 1): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => h.events.filter((e) => e.type === type).length >= count;
    if (check()) return resolve();
    const off = h.conn.onEvent(() => {
      if (check()) {
        off();
        resolve();
      }
    });
  });
}

/** Connects, sends one typed message and asks for a reply in `modality`; resolves on its response.done. */
async function typedTurn(h: Harness, text: string, modality: 'text' | 'audio'): Promise<void> {
  h.conn.connect();
  await waitForEvent(h, 'session.created');
  h.conn.send({
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  });
  h.conn.send({ type: 'response.create', response: { output_modalities: [modality] } });
  await waitForEvent(h, 'response.done');
}

async function sim(): Promise<SimulatorHandle> {
  const s = await startSimulator({ apiKey: KEY, audioPacing: 'fast' });
  sims.push(s);
  return s;
}

describe('against the local simulator', () => {
  it('parses every event of a typed turn with a text reply, and the dialect decodes the reply', async () => {
    const s = await sim();
    const h = connectTo(s.url, KEY);
    await typedTurn(h, 'hello', 'text');
    expect(h.problems).toEqual([]);
    const types = h.inputs.map((i) => i.type);
    expect(types[0]).toBe('sessionDescribed');
    const text = h.inputs.flatMap((i) => (i.type === 'textDelta' && i.source === 'text' ? [i.delta] : []));
    expect(text.join('')).toBe('Echo: hello');
    const done = h.inputs.find((i) => i.type === 'responseDone');
    expect(done).toMatchObject({ status: 'completed', responseId: expect.stringMatching(/^resp_/) });
  });

  it('decodes a voice reply: its transcript, and its audio length from the delta sizes', async () => {
    const s = await sim();
    const h = connectTo(s.url, KEY);
    await typedTurn(h, 'two words', 'audio');
    expect(h.problems).toEqual([]);
    const transcript = h.inputs.flatMap((i) =>
      i.type === 'textDelta' && i.source === 'transcript' ? [i.delta] : [],
    );
    expect(transcript.join('')).toBe('Echo: two words');
    const audio = h.inputs.flatMap((i) => (i.type === 'audioDelta' ? [i] : []));
    const bytes = audio.reduce((n, i) => n + Buffer.from(i.audio, 'base64').byteLength, 0);
    const ms = audio.reduce((n, i) => n + i.ms, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(ms).toBeCloseTo(bytes / 48, 6);
  });

  it('fails with the key words when the simulator rejects the key', async () => {
    const s = await sim();
    const h = connectTo(s.url, 'sk-wrong-key-000000000000');
    h.conn.connect();
    const failed = await waitForStatus(h.conn, (st) => st.state === 'failed');
    expect(failed.code).toBe('auth');
    expect(failed.reason).toBe('The API key was rejected (HTTP 401). Check it in Settings.');
    expect(s.requests).toHaveLength(1);
  });

  it('starts a new session when the simulator expires the first one', async () => {
    const s = await sim();
    s.setFaults([{ kind: 'session-expired', ms: 50 }]);
    const h = connectTo(s.url, KEY);
    h.conn.connect();
    const expired = await waitForStatus(h.conn, (st) => st.state === 'reconnecting');
    expect(expired.code).toBe('session_expired');
    await waitForEvent(h, 'session.created', 2);
    expect(h.conn.status.state).toBe('connected');
    const ids = h.events
      .filter((e) => e.type === 'session.created')
      .map((e) => (e as { session: { id?: string } }).session.id);
    expect(new Set(ids).size).toBe(2);
    expect(h.problems).toEqual([]);
  });

  it('reconnects after the simulator drops every socket', async () => {
    const s = await sim();
    const h = connectTo(s.url, KEY);
    h.conn.connect();
    await waitForEvent(h, 'session.created');
    s.dropAll();
    const dropped = await waitForStatus(h.conn, (st) => st.state === 'reconnecting');
    expect(dropped.code).toBe('dropped');
    await waitForEvent(h, 'session.created', 2);
    expect(h.conn.status.state).toBe('connected');
  });

  it('fails in plain words when a beta header reaches a GA server', async () => {
    const s = await sim();
    // Our endpoints never set OpenAI-Beta; a misbehaving proxy could. Simulate one with the factory.
    const h = connectTo(s.url, KEY, {
      socketFactory: (url, headers) =>
        new WebSocket(url, { headers: { ...headers, 'OpenAI-Beta': 'realtime=v1' } }),
    });
    h.conn.connect();
    const failed = await waitForStatus(h.conn, (st) => st.state === 'failed');
    expect(failed.code).toBe('beta_api_shape_disabled');
    expect(failed.reason).toMatch(/^This server no longer accepts the old beta protocol/);
  });
});
