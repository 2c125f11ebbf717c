/**
 * A tiny driver for the pure turn machine: feed inputs at chosen times, read the client events it sent and
 * the turns it shows. Every event sent is checked against the official GA schema.
 */
import { expect } from 'vitest';
import type {
  RealtimeClientEvent,
  RealtimeServerEvent,
} from '../../../../src/main/core/realtime/connection-types';
import { decode, encode } from '../../../../src/main/core/realtime/ga-dialect';
import { validateClientEvent } from '../../../../src/main/core/simulator/validate';
import { initialState, step } from '../../../../src/main/core/turn/machine';
import type {
  CarriedTurn,
  Effect,
  Input,
  MachineState,
  SessionConfig,
  TurnIdentity,
  WireIntent,
} from '../../../../src/main/core/turn/types';
import type { NextTurnOptions, TurnView } from '../../../../src/shared/types';

export const CONFIG: SessionConfig = {
  voice: 'marin',
  instructions: '',
  audioFormat: 'audio/pcm',
  stallTimeoutMs: 10000,
  transcriptionModel: 'gpt-4o-mini-transcribe',
  tools: [],
};
export const NEXT: NextTurnOptions = { replyAs: 'voice', instructions: '', instructionsMode: 'append' };

/** What a table row feeds in: a machine input, a raw GA server event (decoded as the runner does), or a press / text / connect whose identity or history the driver fills in. */
export type DriverInput =
  | Input
  | { type: 'server'; event: RealtimeServerEvent }
  | { type: 'press'; playedMs: number | null }
  | { type: 'text'; text: string }
  | { type: 'connectionUp'; expiresAt: number | null };

/** An effect as a test reads it: wire intents encoded into the GA client event they become. */
export type Seen =
  Exclude<Effect, WireIntent> | { kind: 'send'; event: RealtimeClientEvent; turnId?: string };

const WIRE = new Set([
  'updateSession',
  'clearInput',
  'commitInput',
  'createMessage',
  'requestResponse',
  'cancelResponse',
  'toolOutput',
  'truncate',
  'deleteItem',
]);

/** Drives the machine and records everything it asks for. */
export class Driver {
  state: MachineState;
  now = 1_000_000;
  all: Seen[] = [];
  last: Seen[] = [];
  /** Every turn view the machine emitted, latest version, in order of first appearance. */
  readonly views = new Map<string, TurnView>();
  /** What left the machine, for Retry. */
  readonly settled = new Map<string, Extract<Effect, { kind: 'turnSettled' }>['turn']>();
  /** The server conversation's item ids in this session, as the runner tracks them. */
  sessionItems: string[] = [];
  private seq = 0;

  constructor(config: Partial<SessionConfig> = {}, next: Partial<NextTurnOptions> = {}) {
    this.state = initialState({ ...CONFIG, ...config }, { ...NEXT, ...next });
  }

  /** The identity the next new turn gets: turn-1, turn-2, … */
  private identity(): TurnIdentity {
    this.seq += 1;
    return { id: `turn-${this.seq}`, conversationId: 'conv-1', index: this.seq };
  }

  private toInput(input: DriverInput): Input | null {
    if (input.type === 'server') {
      const decoded = decode(input.event, this.state.config.audioFormat);
      if (input.event.type === 'input_audio_buffer.committed') this.sessionItems.push(input.event.item_id);
      if (input.event.type === 'response.output_item.added' && input.event.item.id)
        this.sessionItems.push(input.event.item.id);
      return decoded;
    }
    // Frames arrive in real time while the key is held, so a hold lasts as long as what it recorded.
    if (input.type === 'frame' && this.state.mic.phase === 'listening') this.now += input.ms;
    if (input.type === 'press' && !('turn' in input)) return { ...input, turn: this.identity() };
    if (input.type === 'text' && !('turn' in input)) return { ...input, turn: this.identity() };
    if (input.type === 'connectionUp' && !('history' in input)) {
      this.sessionItems = [];
      return { ...input, history: [] };
    }
    if (input.type === 'connectionUp') this.sessionItems = [];
    return input as Input;
  }

  do(...inputs: DriverInput[]): this {
    this.last = [];
    for (const raw of inputs) {
      const input = this.toInput(raw);
      if (!input) continue;
      const result = step(this.state, input, this.now);
      this.state = result.state;
      for (const effect of result.effects) {
        const seen = this.see(effect);
        this.last.push(seen);
        this.all.push(seen);
      }
    }
    for (const e of this.last) {
      if (e.kind === 'send')
        expect(validateClientEvent(e.event), JSON.stringify(e.event)).toEqual({ ok: true });
    }
    return this;
  }

  private see(effect: Effect): Seen {
    if (effect.kind === 'emitTurn') this.views.set(effect.turn.id, effect.turn);
    if (effect.kind === 'turnSettled') this.settled.set(effect.turn.view.id, effect.turn);
    if (!WIRE.has(effect.kind)) return effect as Seen;
    const intent = effect as WireIntent;
    const event = encode(intent, { sessionItems: this.sessionItems });
    if (intent.kind === 'createMessage') this.sessionItems.push(intent.itemId);
    const turnId = 'turnId' in intent ? intent.turnId : undefined;
    return turnId ? { kind: 'send', event, turnId } : { kind: 'send', event };
  }

  /** Connect with earlier turns of the conversation to carry over. */
  connectWith(history: CarriedTurn[], serverInstructions = ''): this {
    this.do({ type: 'connectionUp', expiresAt: null, history });
    return this.do(server.sessionUpdated(serverInstructions));
  }

  /** Retry (or Send) a turn that has left the machine, as the conversation hands it back. */
  retry(turnId: string): this {
    const turn = this.settled.get(turnId);
    if (!turn) throw new Error(`${turnId} has not settled`);
    return this.do({ type: 'retry', turn: { ...turn, view: this.views.get(turnId) ?? turn.view } });
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

  /** A turn as the user last saw it (n-th in order of creation; -1 = the newest). */
  turn(n = -1): TurnView {
    const t = [...this.views.values()].at(n);
    if (!t) throw new Error('no such turn');
    return t;
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
const s = (e: Record<string, unknown>): DriverInput => ({
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
  sessionUpdated: (instructions: string): DriverInput =>
    s({ type: 'session.updated', event_id: eid(), session: { type: 'realtime', instructions } }),
  committed: (itemId: string): DriverInput =>
    s({ type: 'input_audio_buffer.committed', event_id: eid(), item_id: itemId, previous_item_id: null }),
  created: (id: string): DriverInput =>
    s({
      type: 'response.created',
      event_id: eid(),
      response: { id, object: 'realtime.response', status: 'in_progress', output: [] },
    }),
  done: (id: string, status = 'completed', details: Record<string, unknown> | null = null): DriverInput =>
    s({
      type: 'response.done',
      event_id: eid(),
      response: { id, object: 'realtime.response', status, status_details: details, output: [] },
    }),
  part: (id: string, item: string, type: 'audio' | 'text'): DriverInput =>
    s({ type: 'response.content_part.added', ...inPart(id, item), part: { type } }),
  /** `ms` of PCM16 24 kHz audio (48 bytes per ms). */
  audio: (id: string, item: string, ms: number): DriverInput =>
    s({
      type: 'response.output_audio.delta',
      ...inPart(id, item),
      delta: Buffer.alloc(ms * 48).toString('base64'),
    }),
  audioDone: (id: string, item: string): DriverInput =>
    s({ type: 'response.output_audio.done', ...inPart(id, item) }),
  transcript: (id: string, item: string, delta: string): DriverInput =>
    s({ type: 'response.output_audio_transcript.delta', ...inPart(id, item), delta }),
  text: (id: string, item: string, delta: string): DriverInput =>
    s({ type: 'response.output_text.delta', ...inPart(id, item), delta }),
  functionCall: (id: string, name: string, callId = 'c1', args = '{}'): DriverInput =>
    s({
      type: 'response.output_item.done',
      event_id: eid(),
      response_id: id,
      output_index: 0,
      item: {
        id: `fc_${callId}`,
        type: 'function_call',
        name,
        call_id: callId,
        arguments: args,
        status: 'completed',
      },
    }),
  error: (code: string | null, message: string, eventId: string | null = null): DriverInput =>
    s({
      type: 'error',
      event_id: eid(),
      error: { type: 'invalid_request_error', code, message, param: null, event_id: eventId },
    }),
  transcription: (item: string, transcript: string): DriverInput =>
    s({
      type: 'conversation.item.input_audio_transcription.completed',
      event_id: eid(),
      item_id: item,
      content_index: 0,
      transcript,
    }),
};
