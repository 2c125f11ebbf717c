/**
 * The runner: machine effects carried out against a (fake, in-memory) connection, the real FakeAudioEngine
 * and timers. Fake timers drive both the engine's device clock and the runner's clock deterministically.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Playback, PlaybackOptions } from '../../../../src/main/core/audio/engine';
import { FakeAudioEngine } from '../../../../src/main/core/audio/fake-engine';
import { EventLog } from '../../../../src/main/core/eventlog/event-log';
import { systemClock } from '../../../../src/main/core/clock';
import { initialState } from '../../../../src/main/core/turn/machine';
import { CAPTURE_STOP_TIMEOUT_MS, TurnRunner } from '../../../../src/main/core/turn/runner';
import type { SessionConfig, TurnIdentity } from '../../../../src/main/core/turn/types';
import type { Notice, TurnView } from '../../../../src/shared/types';
import { FakeConnection } from './fake-connection';
import { CONFIG, NEXT } from './harness';

/** A mic signal whose every sample differs, so the bytes sent can be compared with the bytes heard. */
function ramp(ms: number): Buffer {
  const samples = (ms * 24000) / 1000;
  const out = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) out.writeInt16LE((i % 20000) - 10000, i * 2);
  return out;
}

interface Rig {
  runner: TurnRunner;
  conn: FakeConnection;
  audio: FakeAudioEngine;
  log: EventLog;
  turns: Map<string, TurnView>;
  notices: Notice[];
  levels: Array<[string, number | null]>;
}

let rigs: Rig[] = [];

function rig(
  config: Partial<SessionConfig> = {},
  audio = new FakeAudioEngine({ micSource: ramp(2000) }),
): Rig {
  const conn = new FakeConnection();
  const log = new EventLog();
  const turns = new Map<string, TurnView>();
  const notices: Notice[] = [];
  const levels: Array<[string, number | null]> = [];
  const runner = new TurnRunner(
    {
      audio,
      log,
      clock: systemClock,
      devices: () => ({ input: null, output: null }),
      onTurn: (t) => turns.set(t.id, t),
      onNotice: (n) => notices.push(n),
      onLevel: (side, dbfs) => levels.push([side, dbfs]),
    },
    initialState({ ...CONFIG, ...config }, { ...NEXT }),
  );
  runner.attach(conn);
  const r = { runner, conn, audio, log, turns, notices, levels };
  rigs.push(r);
  return r;
}

let turnSeq = 0;
/** The next turn's identity, as the conversation mints it: turn-1, turn-2, … */
const nextTurn = (): TurnIdentity => {
  turnSeq += 1;
  return { id: `turn-${turnSeq}`, conversationId: 'conv-1', index: turnSeq };
};

function connect(r: Rig): void {
  r.conn.setStatus({ state: 'connected' });
  r.runner.input({ type: 'connectionUp', expiresAt: null, history: [] });
  r.conn.serverSends({
    type: 'session.created',
    event_id: 'e0',
    session: { type: 'realtime', instructions: '' },
  });
}

function appended(conn: FakeConnection): Buffer {
  return Buffer.concat(
    conn.sent.flatMap((e) =>
      e.type === 'input_audio_buffer.append' ? [Buffer.from(e.audio, 'base64')] : [],
    ),
  );
}

/** Connects, sends a typed message and has the server start its reply as response r1. */
function replyStarted(r: Rig, text: string): void {
  connect(r);
  r.runner.input({ type: 'text', turn: nextTurn(), text });
  r.conn.serverSends({
    type: 'response.created',
    event_id: 'e1',
    response: { id: 'r1', status: 'in_progress' },
  });
}

/** The appends carried exactly the first turn's recording, byte for byte. */
function expectRecordingSent(r: Rig): void {
  const sent = appended(r.conn);
  expect(sent.byteLength).toBe((r.turns.get('turn-1')?.recordedMs ?? 0) * 48);
  expect(sent.equals(ramp(2000).subarray(0, sent.byteLength))).toBe(true);
}

async function talk(r: Rig, ms: number): Promise<void> {
  r.runner.input({ type: 'press', turn: nextTurn(), playedMs: r.runner.playedMs() });
  await vi.advanceTimersByTimeAsync(ms);
  r.runner.input({ type: 'release' });
  await vi.advanceTimersByTimeAsync(1);
}

beforeEach(() => {
  turnSeq = 0;
  vi.useFakeTimers();
});

afterEach(async () => {
  for (const r of rigs) {
    await r.runner.dispose();
    await r.audio.close();
    r.log.dispose();
  }
  rigs = [];
  vi.useRealTimers();
});

describe('TurnRunner', () => {
  it('goes on with what was recorded when the microphone never finishes stopping', async () => {
    /** A device that delivers frames but whose stop() never returns (a hung driver). */
    class HungStopEngine extends FakeAudioEngine {
      override async openCapture(
        options: Parameters<FakeAudioEngine['openCapture']>[0],
      ): ReturnType<FakeAudioEngine['openCapture']> {
        const capture = await super.openCapture(options);
        return { stop: () => new Promise<void>(() => void capture.stop()) };
      }
    }
    const r = rig({}, new HungStopEngine({ micSource: ramp(2000) }));
    connect(r);
    await talk(r, 400);
    expect(r.turns.get('turn-1')?.phase).toBe('committing');
    await vi.advanceTimersByTimeAsync(CAPTURE_STOP_TIMEOUT_MS);
    expect(r.conn.types().slice(-2)).toEqual(['input_audio_buffer.commit', 'response.create']);
    expect(r.turns.get('turn-1')?.phase).not.toBe('committing');
    expect(r.notices.map((n) => n.text).join('\n')).toMatch(
      /microphone stopped responding.*Sending what was recorded/i,
    );
  });

  it('streams the microphone as appends while held and commits exactly what was recorded', async () => {
    const r = rig();
    connect(r);
    await talk(r, 400);
    const types = r.conn.types();
    expect(types.slice(0, 2)).toEqual(['session.update', 'input_audio_buffer.clear']);
    expect(types.slice(-2)).toEqual(['input_audio_buffer.commit', 'response.create']);
    expect(types.filter((t) => t === 'input_audio_buffer.append').length).toBeGreaterThanOrEqual(9);
    expectRecordingSent(r);
  });

  it('gets the speaker ready when a voice reply is requested (not for a text reply)', async () => {
    class PreparingEngine extends FakeAudioEngine {
      readonly prepared: Array<string | null> = [];
      async prepareOutput(device: string | null): Promise<void> {
        this.prepared.push(device);
      }
    }
    const voice = rig({}, new PreparingEngine({ micSource: ramp(2000) }));
    connect(voice);
    await talk(voice, 200);
    expect(voice.conn.types().at(-1)).toBe('response.create');
    expect((voice.audio as PreparingEngine).prepared).toEqual([null]);
    const text = rig({}, new PreparingEngine());
    connect(text);
    text.runner.input({ type: 'setNext', next: { ...NEXT, replyAs: 'text' } });
    text.runner.input({ type: 'text', turn: nextTurn(), text: 'answer in text' });
    await vi.advanceTimersByTimeAsync(1);
    expect(text.conn.types().at(-1)).toBe('response.create');
    expect((text.audio as PreparingEngine).prepared).toEqual([]);
  });

  it('keeps a turn recorded while disconnected and sends all of it after reconnecting', async () => {
    const r = rig();
    await talk(r, 300);
    expect(r.conn.sent).toEqual([]);
    expect(r.turns.get('turn-1')?.phase).toBe('queued');
    connect(r);
    expectRecordingSent(r);
    expect(r.conn.types().at(-1)).toBe('response.create');
  });

  it('sends G.711 μ-law at 8 kHz when the session uses audio/pcmu', async () => {
    const r = rig({ audioFormat: 'audio/pcmu' });
    connect(r);
    await talk(r, 400);
    const recordedMs = r.turns.get('turn-1')?.recordedMs ?? 0;
    expect(appended(r.conn).byteLength).toBe(recordedMs * 8);
    expect(r.conn.sent[0]).toMatchObject({
      session: { audio: { input: { format: { type: 'audio/pcmu' } } } },
    });
  });

  it('plays reply audio and truncates a barge-in at what was actually heard', async () => {
    const r = rig();
    replyStarted(r, 'talk to me');
    const second = Buffer.alloc(24000 * 2).toString('base64');
    r.conn.serverSends({
      type: 'response.output_audio.delta',
      event_id: 'e2',
      response_id: 'r1',
      item_id: 'item_a',
      output_index: 0,
      content_index: 0,
      delta: second,
    });
    await vi.advanceTimersByTimeAsync(300);
    const heard = r.runner.playedMs() ?? -1;
    expect(heard).toBeGreaterThan(0);
    expect(r.turns.get('turn-1')?.timings.toFirstAudioMs).toBeDefined();
    r.runner.input({ type: 'press', turn: nextTurn(), playedMs: r.runner.playedMs() });
    const truncate = r.conn.sent.find((e) => e.type === 'conversation.item.truncate');
    expect(truncate).toEqual({
      type: 'conversation.item.truncate',
      item_id: 'item_a',
      content_index: 0,
      audio_end_ms: Math.floor(heard),
    });
    expect(r.runner.playedMs()).toBeNull();
  });

  it('times a reply from its audio’s arrival, also when the speaker opened after it arrived', async () => {
    let open = (): void => undefined;
    const writes: Array<number | undefined> = [];
    class SlowSpeaker extends FakeAudioEngine {
      override async openPlayback(options: PlaybackOptions): Promise<Playback> {
        await new Promise<void>((resolve) => (open = resolve));
        const playback = await super.openPlayback(options);
        return {
          ...playback,
          write: (pcm, arrivedAt) => (writes.push(arrivedAt), playback.write(pcm, arrivedAt)),
        };
      }
    }
    const r = rig({}, new SlowSpeaker({ micSource: ramp(2000) }));
    replyStarted(r, 'talk to me');
    const delta = (id: string) => ({
      type: 'response.output_audio.delta',
      event_id: id,
      response_id: 'r1',
      item_id: 'item_a',
      output_index: 0,
      content_index: 0,
      delta: Buffer.alloc(960).toString('base64'),
    });
    const before = performance.now();
    r.conn.serverSends(delta('d1'));
    const after = performance.now();
    await vi.advanceTimersByTimeAsync(30);
    open();
    await vi.advanceTimersByTimeAsync(1);
    r.conn.serverSends(delta('d2'));
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBeGreaterThanOrEqual(before);
    expect(writes[0]).toBeLessThanOrEqual(after);
    expect(writes[1]).toBeGreaterThan(after);
  });

  it('plays a queued turn’s reply after the previous reply has drained, never on top of it', async () => {
    const r = rig();
    const history: string[] = [];
    const onTurn = r.turns.set.bind(r.turns);
    r.turns.set = (id, view) => {
      if (view.phase === 'done') history.push(`${id} done`);
      if (view.timings.toFirstAudioMs !== undefined && !history.includes(`${id} audible`))
        history.push(`${id} audible`);
      return onTurn(id, view);
    };
    connect(r);
    const reply = (n: number): void => {
      const base = { response_id: `r${n}`, item_id: `i${n}`, output_index: 0, content_index: 0 };
      r.conn.serverSends({ type: 'response.created', event_id: `c${n}`, response: { id: `r${n}` } });
      r.conn.serverSends({
        type: 'response.output_audio.delta',
        event_id: `a${n}`,
        ...base,
        delta: Buffer.alloc(9600).toString('base64'),
      });
      r.conn.serverSends({
        type: 'response.done',
        event_id: `d${n}`,
        response: { id: `r${n}`, status: 'completed' },
      });
    };
    r.runner.input({ type: 'text', turn: nextTurn(), text: 'one' });
    r.runner.input({ type: 'text', turn: nextTurn(), text: 'two' });
    reply(1);
    reply(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(history).toEqual(['turn-1 audible', 'turn-1 done', 'turn-2 audible', 'turn-2 done']);
  });

  it('logs every event in and out with its turn, and unknown or malformed frames as local rows', async () => {
    const r = rig();
    replyStarted(r, 'hello');
    r.conn.serverSendsUnknown({ type: 'response.brand_new_thing' });
    r.conn.serverSendsMalformed('{not json', 'Not valid JSON');
    const rows = r.log.entries();
    expect(rows.map((e) => [e.dir, e.type])).toEqual([
      ['out', 'session.update'],
      ['in', 'session.created'],
      ['out', 'conversation.item.create'],
      ['out', 'response.create'],
      ['in', 'response.created'],
      ['local', 'unknown-event'],
      ['local', 'malformed-event'],
    ]);
    expect(rows.slice(2).every((e) => e.turnId === 'turn-1')).toBe(true);
    expect(rows[5]?.payload).toMatchObject({ problem: expect.stringMatching(/Unknown server event type/) });
    expect(rows[6]?.payload).toMatchObject({ problem: 'Not valid JSON' });
  });

  it('a missing microphone fails the turn in plain words and nothing crashes', async () => {
    const audio = new FakeAudioEngine({ devices: { inputs: [], outputs: [] } });
    const r = rig({}, audio);
    connect(r);
    r.runner.input({ type: 'press', turn: nextTurn(), playedMs: null });
    await vi.advanceTimersByTimeAsync(10);
    r.runner.input({ type: 'release' });
    await vi.advanceTimersByTimeAsync(10);
    expect(r.turns.get('turn-1')?.outcome).toEqual({
      kind: 'failed',
      reason: 'The microphone could not be used: No microphone found.',
      retryable: false,
    });
    expect(r.conn.types()).toEqual([
      'session.update',
      'input_audio_buffer.clear',
      'input_audio_buffer.clear',
    ]);
  });

  it('reports capture levels while talking and null when capture stops', async () => {
    const r = rig();
    connect(r);
    await talk(r, 200);
    expect(r.levels.some(([side, v]) => side === 'input' && typeof v === 'number')).toBe(true);
    expect(r.levels.at(-1)).toEqual(['input', null]);
  });

  it('fires the stall watchdog from its timer and fails the turn', async () => {
    const r = rig({ stallTimeoutMs: 2000 });
    replyStarted(r, 'hello');
    await vi.advanceTimersByTimeAsync(2001);
    expect(r.turns.get('turn-1')?.outcome).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/2 s/),
    });
    expect(r.conn.types().at(-1)).toBe('response.cancel');
  });
});
