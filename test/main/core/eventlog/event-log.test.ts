import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventLog, type LogTimer } from '../../../../src/main/core/eventlog/event-log';
import type { LogEntry } from '../../../../src/shared/types';

const KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const AZURE_KEY = '0123456789abcdef0123456789abcdef';

/** A manual clock for `now` and a manual timer queue for batching. */
class FakeTime implements LogTimer {
  t = 1000;
  /** Timers that went off (each one a wake-up of the main thread). */
  fired = 0;
  private queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  now = (): number => this.t;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((q) => q.id !== handle);
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.t = next.at;
      this.fired++;
      next.fn();
    }
    this.t = end;
  }
  get pending(): number {
    return this.queue.length;
  }
}

const logs: EventLog[] = [];
function makeLog(opts: { capacity?: number } = {}): { log: EventLog; time: FakeTime } {
  const time = new FakeTime();
  const log = new EventLog({ ...opts, now: time.now, timer: time });
  logs.push(log);
  return { log, time };
}

afterEach(() => {
  for (const l of logs.splice(0)) l.dispose();
});

function b64(bytes: number): string {
  return Buffer.alloc(bytes, 7).toString('base64');
}

describe('EventLog entries', () => {
  it('numbers entries and times them from the connection and from the turn', () => {
    const { log, time } = makeLog();
    time.t = 5000;
    log.markConnected();
    time.t = 5012.34;
    const e = log.record('out', { type: 'input_audio_buffer.commit' }, { id: 'turn-1', startedAt: 5002 });
    expect(e).toEqual({
      seq: 1,
      t: 12.3,
      turnT: 10.3,
      turnId: 'turn-1',
      dir: 'out',
      type: 'input_audio_buffer.commit',
      payload: { type: 'input_audio_buffer.commit' },
    });
    const f = log.record('in', { type: 'session.created' });
    expect(f.seq).toBe(2);
    expect(f.turnId).toBeUndefined();
    expect(f.turnT).toBeUndefined();
  });

  it('replaces audio payloads with their size', () => {
    const { log } = makeLog();
    const append = log.record('out', { type: 'input_audio_buffer.append', audio: b64(960) });
    expect(append.payload).toEqual({ type: 'input_audio_buffer.append', audio: '<audio 960 bytes>' });
    const delta = log.record('in', {
      type: 'response.output_audio.delta',
      response_id: 'r',
      item_id: 'i',
      content_index: 0,
      delta: b64(4800),
    });
    expect((delta.payload as Record<string, unknown>)['delta']).toBe('<audio 4800 bytes>');
    const item = log.record('out', {
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_audio', audio: b64(3) }] },
    });
    expect(JSON.stringify(item.payload)).toContain('"audio":"<audio 3 bytes>"');
  });

  it('gives an append with anything besides its audio the full scrub: a key in an extra field is redacted', () => {
    // Plain appends take a shortcut (50 a second while the key is held); anything more must not ride it.
    const { log } = makeLog();
    const e = log.record('out', {
      type: 'input_audio_buffer.append',
      audio: b64(960),
      event_id: 'sk-proj-abcdefghijklmnopqrstuvwx',
    });
    expect(e.payload).toEqual({
      type: 'input_audio_buffer.append',
      audio: '<audio 960 bytes>',
      event_id: '<redacted>',
    });
    const odd = log.record('out', { type: 'input_audio_buffer.append', audio: 42 } as unknown as {
      type: string;
    });
    expect(odd.payload).toEqual({ type: 'input_audio_buffer.append', audio: 42 });
  });

  it('keeps text deltas as text', () => {
    const { log } = makeLog();
    const e = log.record('in', { type: 'response.output_text.delta', delta: 'Hello' });
    expect((e.payload as Record<string, unknown>)['delta']).toBe('Hello');
  });

  it('elides any long base64 blob, even outside audio fields', () => {
    const { log } = makeLog();
    const e = log.record('out', {
      type: 'conversation.item.create',
      item: { content: [{ type: 'input_image', image_data: b64(3000) }] },
    });
    expect(JSON.stringify(e.payload)).toContain('<base64 3000 bytes>');
  });

  it('stores a deep copy: later changes to the event do not change the log', () => {
    const { log } = makeLog();
    const event = { type: 'session.update', session: { instructions: 'Be brief.' } };
    log.record('out', event);
    event.session.instructions = 'changed';
    expect(log.entries()[0]!.payload).toEqual({
      type: 'session.update',
      session: { instructions: 'Be brief.' },
    });
  });

  it('copes with cycles, functions and buffers without throwing', () => {
    const { log } = makeLog();
    const odd: Record<string, unknown> = { type: 'local.odd', fn: () => 1, buf: Buffer.alloc(5), big: 10n };
    odd['self'] = odd;
    const e = log.record('local', odd as { type: string });
    expect(e.payload).toEqual({ type: 'local.odd', buf: '<binary 5 bytes>', big: '10', self: '<cycle>' });
  });
});

describe('EventLog never holds the key', () => {
  it('scrubs key-looking values, headers and credential fields wherever they appear', () => {
    const { log } = makeLog();
    log.addSecret(AZURE_KEY);
    log.record('local', {
      type: 'local.connect',
      url: `wss://x.openai.azure.com/openai/v1/realtime?model=d&api-key=${AZURE_KEY}`,
      headers: { Authorization: `Bearer ${KEY}`, 'api-key': AZURE_KEY },
      note: `using key ${KEY} now`,
      nested: [{ authorization: `Bearer ${KEY}` }, { apiKey: KEY }, { 'api-key': 'whatever-value' }],
      client_secret: { value: 'ek_abcdefghijklmnopqrstuvwxyz', expires_at: 1 },
    });
    log.record('in', {
      type: 'error',
      error: { type: 'invalid_request_error', message: `Incorrect API key provided: ${KEY}.` },
    });
    const everything = log.toJSONL() + JSON.stringify(log.entries());
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(KEY.slice(0, 20));
    expect(everything).not.toContain(AZURE_KEY);
    expect(everything).not.toContain('ek_abcdefghijklmnop');
    expect(everything).not.toContain('whatever-value');
    const first = log.entries()[0]!.payload as Record<string, unknown>;
    expect(first['headers']).toBe('<headers redacted>');
    expect(first['note']).toBe('using key <redacted> now');
  });

  it('redacts a key passed as a URL query parameter even when it was never registered', () => {
    const { log } = makeLog();
    const e = log.record('local', {
      type: 'local.connect',
      url: `wss://h/realtime?model=m&api-key=${AZURE_KEY}&x=1`,
    });
    expect(e.payload).toEqual({
      type: 'local.connect',
      url: 'wss://h/realtime?model=m&api-key=<redacted>&x=1',
    });
  });

  it('keeps usage token counts (they are not credentials)', () => {
    const { log } = makeLog();
    const e = log.record('in', {
      type: 'response.done',
      response: { id: 'r', usage: { total_tokens: 5, input_tokens: 2, output_tokens: 3 } },
    });
    expect(JSON.stringify(e.payload)).toContain('"total_tokens":5');
  });
});

describe('EventLog ring and export', () => {
  it('keeps only the newest `capacity` entries, in order', () => {
    const { log } = makeLog({ capacity: 3 });
    for (let i = 1; i <= 7; i++) log.record('in', { type: `e${i}` });
    expect(log.entries().map((e) => [e.seq, e.type])).toEqual([
      [5, 'e5'],
      [6, 'e6'],
      [7, 'e7'],
    ]);
    expect(log.entries(5).map((e) => e.seq)).toEqual([6, 7]);
    expect(log.entries(1).map((e) => e.seq)).toEqual([5, 6, 7]);
    expect(log.entries(7)).toEqual([]);
  });

  it('defaults to 20 000 entries', () => {
    const log = new EventLog();
    logs.push(log);
    for (let i = 0; i < 20_005; i++) log.record('in', { type: 'x' });
    const all = log.entries();
    expect(all).toHaveLength(20_000);
    expect(all[0]!.seq).toBe(6);
  });

  it('clear() empties the log while sequence numbers keep counting', () => {
    const { log } = makeLog();
    log.record('in', { type: 'a' });
    log.clear();
    expect(log.entries()).toEqual([]);
    expect(log.toJSONL()).toBe('');
    expect(log.record('in', { type: 'b' }).seq).toBe(2);
  });

  it('round-trips through JSONL', () => {
    const { log, time } = makeLog();
    log.record('out', { type: 'session.update', session: { instructions: 'line1\nline2 "quoted"' } });
    time.t += 3;
    log.record('in', { type: 'response.output_audio.delta', delta: b64(48) }, { id: 't1', startedAt: 999 });
    const text = log.toJSONL();
    expect(text.endsWith('\n')).toBe(true);
    const parsed = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogEntry);
    expect(parsed).toEqual(log.entries());
  });
});

describe('EventLog batches for the UI', () => {
  it('delivers the first entry at once, then coalesces, at most one batch per 50 ms', () => {
    const { log, time } = makeLog();
    const batches: number[][] = [];
    log.onBatch((entries) => batches.push(entries.map((e) => e.seq)));
    log.record('out', { type: 'response.create' });
    expect(batches).toEqual([[1]]); // a lone event is never held back
    for (let i = 0; i < 4; i++) {
      time.advance(10);
      log.record('in', { type: 'response.output_audio.delta', delta: b64(10) });
    }
    expect(batches).toEqual([[1]]);
    time.advance(10); // 50 ms after the first batch: the next event takes the waiting ones along
    log.record('in', { type: 'response.output_audio.delta', delta: b64(10) });
    expect(batches).toEqual([[1], [2, 3, 4, 5, 6]]);
    time.advance(10);
    log.record('in', { type: 'response.done' });
    time.advance(89);
    expect(batches).toHaveLength(2);
    time.advance(1); // the stream stopped: a timer delivers the last one 100 ms after the previous batch
    expect(batches).toEqual([[1], [2, 3, 4, 5, 6], [7]]);
  });

  it('batches a held key (an append every 20 ms) on its own wake-ups: no timer fires until it stops', () => {
    const { log, time } = makeLog();
    const batches: number[][] = [];
    log.onBatch((entries) => batches.push(entries.map((e) => e.seq)));
    for (let i = 0; i < 98; i++) {
      log.record('out', { type: 'input_audio_buffer.append', audio: b64(960) });
      time.advance(20);
    }
    expect(time.fired).toBe(0);
    expect(batches.length).toBe(33); // ~2 s of appends, one batch per 60 ms (every third append)
    time.advance(100);
    expect(time.fired).toBe(1); // the last append, after the key came up
    expect(batches.flat()).toEqual(Array.from({ length: 98 }, (_, i) => i + 1));
  });

  it('caps a steady 1000 events/s stream at 20 batches per second and loses none', () => {
    const { log, time } = makeLog();
    const batches: LogEntry[][] = [];
    log.onBatch((entries) => batches.push(entries));
    for (let ms = 0; ms < 1000; ms++) {
      log.record('in', { type: 'tick' });
      time.advance(1);
    }
    time.advance(100);
    expect(batches.length).toBeLessThanOrEqual(21);
    expect(batches.flat().map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('schedules nothing when nobody listens, and stops after unsubscribe', () => {
    const { log, time } = makeLog();
    log.record('in', { type: 'a' });
    expect(time.pending).toBe(0);
    const got: string[][] = [];
    const off = log.onBatch((e) => got.push(e.map((x) => x.type)));
    log.record('in', { type: 'b' });
    log.record('in', { type: 'c' });
    expect(time.pending).toBe(1);
    off();
    expect(time.pending).toBe(0);
    time.advance(100);
    expect(got).toEqual([['b']]);
  });

  it('keeps delivering to other listeners when one throws', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { log, time } = makeLog();
    const got: number[] = [];
    log.onBatch(() => {
      throw new Error('ui bug');
    });
    log.onBatch((e) => got.push(...e.map((x) => x.seq)));
    log.record('in', { type: 'a' });
    time.advance(50);
    expect(got).toEqual([1]);
    vi.restoreAllMocks();
  });
});
