/**
 * A tiny driver for the pure turn machine: feed inputs at chosen times, read the client events it sent and
 * the turns it shows. Every event sent is checked against the official GA schema.
 */
import { expect } from 'vitest';
import type {
  RealtimeClientEvent,
  RealtimeServerEvent,
} from '../../../../src/main/core/realtime/connection-types';
import { validateClientEvent } from '../../../../src/main/core/simulator/validate';
import { initialState, step } from '../../../../src/main/core/turn/machine';
import type { Effect, Input, MachineState, SessionConfig } from '../../../../src/main/core/turn/types';
import type { NextTurnOptions, TurnView } from '../../../../src/shared/types';

export const CONFIG: SessionConfig = {
  voice: 'marin',
  instructions: '',
  audioFormat: 'audio/pcm',
  stallTimeoutMs: 10000,
  transcriptionModel: 'gpt-4o-mini-transcribe',
};
export const NEXT: NextTurnOptions = { replyAs: 'voice', instructions: '', instructionsMode: 'append' };

/** Drives the machine and records everything it asks for. */
export class Driver {
  state: MachineState;
  now = 1_000_000;
  all: Effect[] = [];
  last: Effect[] = [];

  constructor(config: Partial<SessionConfig> = {}, next: Partial<NextTurnOptions> = {}) {
    this.state = initialState({ ...CONFIG, ...config }, { ...NEXT, ...next });
  }

  do(...inputs: Input[]): this {
    this.last = [];
    for (const input of inputs) {
      const result = step(this.state, input, this.now);
      this.state = result.state;
      this.last.push(...result.effects);
      this.all.push(...result.effects);
    }
    for (const e of this.last) {
      if (e.kind === 'send')
        expect(validateClientEvent(e.event), JSON.stringify(e.event)).toEqual({ ok: true });
    }
    return this;
  }

  wait(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Client events sent by the last do(...). */
  sent(): RealtimeClientEvent[] {
    return this.last.flatMap((e) => (e.kind === 'send' ? [e.event] : []));
  }

  /** Types of the client events sent by the last do(...). */
  sentTypes(): string[] {
    return this.sent().map((e) => e.type);
  }

  /** Every client event sent so far. */
  allSent(): RealtimeClientEvent[] {
    return this.all.flatMap((e) => (e.kind === 'send' ? [e.event] : []));
  }

  kinds(): string[] {
    return this.last.map((e) => (e.kind === 'send' ? `send:${e.event.type}` : e.kind));
  }

  turn(n = -1): TurnView {
    const t = this.state.turns.at(n);
    if (!t) throw new Error('no such turn');
    return t.view;
  }

  notices(): string[] {
    return this.all.flatMap((e) => (e.kind === 'notice' ? [e.notice.text] : []));
  }

  // ---- common sequences -----------------------------------------------------------------

  connect(serverInstructions?: string): this {
    this.do({ type: 'connectionUp', expiresAt: null });
    return this.do(server.sessionUpdated(serverInstructions ?? ''));
  }

  /** Press, record `ms` in 40 ms frames, release, capture stops. */
  talk(ms: number): this {
    this.do({ type: 'press', playedMs: null });
    for (let left = ms; left > 0; left -= 40) this.do({ type: 'frame', ms: Math.min(40, left) });
    return this.do({ type: 'release' }, { type: 'captureStopped' });
  }
}

let seq = 0;
const eid = (): string => `event_${++seq}`;
const s = (e: Record<string, unknown>): Input => ({
  type: 'server',
  event: e as unknown as RealtimeServerEvent,
});

/** The fields every event about one content part of a response carries. */
const inPart = (id: string, item: string): Record<string, unknown> => ({
  event_id: eid(),
  response_id: id,
  item_id: item,
  output_index: 0,
  content_index: 0,
});

/** Server events, GA shapes. */
export const server = {
  sessionUpdated: (instructions: string): Input =>
    s({ type: 'session.updated', event_id: eid(), session: { type: 'realtime', instructions } }),
  committed: (itemId: string): Input =>
    s({ type: 'input_audio_buffer.committed', event_id: eid(), item_id: itemId, previous_item_id: null }),
  created: (id: string): Input =>
    s({
      type: 'response.created',
      event_id: eid(),
      response: { id, object: 'realtime.response', status: 'in_progress', output: [] },
    }),
  done: (id: string, status = 'completed', details: Record<string, unknown> | null = null): Input =>
    s({
      type: 'response.done',
      event_id: eid(),
      response: { id, object: 'realtime.response', status, status_details: details, output: [] },
    }),
  part: (id: string, item: string, type: 'audio' | 'text'): Input =>
    s({ type: 'response.content_part.added', ...inPart(id, item), part: { type } }),
  /** `ms` of PCM16 24 kHz audio (48 bytes per ms). */
  audio: (id: string, item: string, ms: number): Input =>
    s({
      type: 'response.output_audio.delta',
      ...inPart(id, item),
      delta: Buffer.alloc(ms * 48).toString('base64'),
    }),
  audioDone: (id: string, item: string): Input =>
    s({ type: 'response.output_audio.done', ...inPart(id, item) }),
  transcript: (id: string, item: string, delta: string): Input =>
    s({ type: 'response.output_audio_transcript.delta', ...inPart(id, item), delta }),
  text: (id: string, item: string, delta: string): Input =>
    s({ type: 'response.output_text.delta', ...inPart(id, item), delta }),
  functionCall: (id: string, name: string): Input =>
    s({
      type: 'response.output_item.done',
      event_id: eid(),
      response_id: id,
      output_index: 0,
      item: { id: 'fc_1', type: 'function_call', name, call_id: 'c1', arguments: '{}' },
    }),
  error: (code: string | null, message: string, eventId: string | null = null): Input =>
    s({
      type: 'error',
      event_id: eid(),
      error: { type: 'invalid_request_error', code, message, param: null, event_id: eventId },
    }),
  transcription: (item: string, transcript: string): Input =>
    s({
      type: 'conversation.item.input_audio_transcription.completed',
      event_id: eid(),
      item_id: item,
      content_index: 0,
      transcript,
    }),
};
