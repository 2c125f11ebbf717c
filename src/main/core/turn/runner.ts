/**
 * Runs the pure turn machine against the world: a RealtimeConnection, an AudioEngine and timers. It
 * feeds server events, audio frames, playback progress and timer expiries back in as inputs, and carries
 * out the effects the machine returns, in order. Recorded PCM stays here (never in the machine) until the
 * machine says it is no longer needed, so a dropped socket or a vanished device loses nothing.
 */
import { WIRE_RATE, type AudioEngine, type Capture, type Playback } from '../audio/engine';
import type { EventLog, TurnRef } from '../eventlog/event-log';
import type {
  RealtimeClientEvent,
  RealtimeConnection,
  RealtimeServerEvent,
  UnknownServerEvent,
} from '../realtime/connection-types';
import { appendEvent, conversationChange, decode, encode, responseIdOf } from '../realtime/ga-dialect';
import { RemoteMcpListings } from '../realtime/mcp-listing';
import { words } from '../words';
import type { ImageRef, NextTurnOptions, Notice, TurnView } from '../../../shared/types';
import type { ImageDetail } from '../../../shared/settings';
import type { Clock } from '../clock';
import { errorMessage } from '../../../shared/error-message';
import { step } from './machine';
import type { Effect, Input, MachineState, RetryTurn, TimerName, WireIntent } from './types';
import { wireDecoder, wireEncoder, type WireStream } from './wire-audio';

/**
 * Capture frame length sent as one input_audio_buffer.append (the wire takes 20–40 ms). 20 ms: the wait for a
 * frame to fill is part of microphone → wire latency (target ≤ 40 ms p95), and bench:audio measures 20 ms frames.
 */
export const FRAME_MS = 20;
/** Turns whose recorded audio is kept for Retry; older ones are released to bound memory. */
export const KEPT_AUDIO_TURNS = 20;

const BYTES_PER_MS = (WIRE_RATE * 2) / 1000;
/**
 * How long a released turn waits for the microphone to hand over its last frame before going on without it. A press
 * that met a waking device keeps listening after key-up until its held length of audio is in (the engine bounds
 * that by its start grace, 3 s), so this is above that bound.
 */
export const CAPTURE_STOP_TIMEOUT_MS = 4000;

/** What the runner needs from its owner. */
export interface RunnerDeps {
  audio: AudioEngine;
  log: EventLog;
  clock: Clock;
  /** Devices chosen by name (null = system default), read at each open. */
  devices: () => { input: string | null; output: string | null };
  onTurn: (view: TurnView) => void;
  onNotice: (notice: Notice) => void;
  /** The notices of a topic no longer hold. */
  onClearNotice?: (topic: string) => void;
  /** Nothing is in flight and the session nears its limit: open a new session (the conversation carries over). */
  onRotate?: () => void;
  /** The machine changed the next-turn options (per-turn instructions are used up). */
  onNext?: (next: NextTurnOptions) => void;
  /** A response started or ended for a turn (kept by the conversation, keyed by response id). */
  onResponse?: (record: Extract<Effect, { kind: 'responseRecord' }>) => void;
  /** A finished turn left the machine, with what a later Retry needs. */
  onSettled?: (turn: RetryTurn) => void;
  /** Runs the functions the model calls; it answers with toolProgress / toolResult inputs. */
  tools?: {
    run(call: Extract<Effect, { kind: 'runTool' }>): void;
    abort(turnId: string): void;
  };
  /** The server started the session, or did not within the stall timeout. */
  onSession?: (state: 'ready' | 'missing') => void;
  /** The user's words for a turn no longer in flight. */
  onLateTranscript?: (itemId: string, text: string, complete: boolean) => void;
  /** Capture / playback level in dBFS; null when that side stops. */
  onLevel: (side: 'input' | 'output', dbfs: number | null) => void;
  /** The event log's clock (monotonic ms), for turn-relative times. Default performance.now. */
  logNow?: () => number;
  /** Attached images for the wire: a data: URL by image (null when its file is gone), and the detail setting. */
  images?: EncodeImages;
  /**
   * Server events that are not the turns' (out-of-band responses): true = handled elsewhere, so the machine never
   * sees it. Called after the event is logged.
   */
  claim?: (event: RealtimeServerEvent) => boolean;
}

/** How the runner turns a turn's image references into what the wire carries. */
export interface EncodeImages {
  imageUrl: (image: ImageRef) => string | null;
  detail: () => ImageDetail;
}

interface RecordedAudio {
  frames: Buffer[];
  /** Frames already appended in the current stream. */
  sent: number;
  encoder: WireStream | null;
}

interface PlayerSlot {
  playback: Playback | null;
  /** Audio that arrived before the speaker was open, with when it arrived. */
  pending: { pcm: Buffer; arrivedAt?: number }[];
  ended: boolean;
  flushed: boolean;
  decoder: WireStream;
  /** Resolves when this reply has drained, been flushed or failed: the next reply may start. */
  finished: Promise<void>;
  finish: () => void;
}

/** The machine plus its side effects. */
export class TurnRunner {
  private machine: MachineState;
  private connection: RealtimeConnection | null = null;
  private unsubscribe: Array<() => void> = [];
  private readonly queue: Input[] = [];
  private running = false;
  private disposed = false;
  private readonly timers = new Map<TimerName, unknown>();
  private readonly captures = new Map<string, Promise<Capture | null>>();
  private readonly recorded = new Map<string, RecordedAudio>();
  private readonly players = new Map<string, PlayerSlot>();
  private readonly turnStarts = new Map<string, number>();
  /** The server conversation's item ids in this session, oldest first (Retry's context, row 17). */
  private sessionItems: string[] = [];
  /** Which remote MCP server each listing item is about (a new session, new listings). */
  private listings = new RemoteMcpListings();
  private playbackChain: Promise<void> = Promise.resolve();
  private readonly logNow: () => number;
  private readonly stopProblems: (() => void) | null;

  constructor(
    private readonly deps: RunnerDeps,
    initial: MachineState,
  ) {
    this.machine = initial;
    this.logNow = deps.logNow ?? (() => performance.now());
    // A microphone that stayed lost while no key was held is nobody's turn: the user hears of it as a notice.
    this.stopProblems =
      deps.audio.onProblem?.((problem) =>
        deps.onNotice({
          id: 'microphone',
          level: problem ? 'warning' : 'info',
          text: problem ?? 'The microphone works again.',
          at: deps.clock.now(),
        }),
      ) ?? null;
  }

  /** The machine's current state (read-only). */
  get state(): MachineState {
    return this.machine;
  }

  /** Routes a connection's events into the machine (replacing the previous connection's). */
  attach(connection: RealtimeConnection | null): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.connection = connection;
    this.sessionItems = [];
    this.listings = new RemoteMcpListings();
    if (!connection) return;
    this.unsubscribe.push(
      connection.onEvent((event) => this.received(event)),
      connection.onUnknown((event) => this.unknown(event)),
      connection.onMalformed((raw, problem) => this.malformed(raw, problem)),
    );
  }

  /** Feeds one input; inputs raised while effects run are queued and handled in order. */
  input(input: Input): void {
    if (this.disposed) return;
    this.queue.push(input);
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const result = step(this.machine, next, this.deps.clock.now());
        this.machine = result.state;
        for (const effect of result.effects) this.run(effect);
      }
    } finally {
      this.running = false;
    }
  }

  /** Sends a client event that is not the machine's (an out-of-band request), logged like the rest. */
  send(event: RealtimeClientEvent): boolean {
    const ok = this.connection?.send(event) ?? false;
    this.deps.log.record(
      ok ? 'out' : 'local',
      ok
        ? (event as unknown as LogEvent)
        : { type: 'not-sent', event: event as unknown, problem: 'Not connected: the event was not sent' },
    );
    return ok;
  }

  /** The turn's recorded audio as wire PCM (24 kHz s16), while it is kept: saved for a turn not yet answered. */
  recordedAudio(turnId: string): Buffer | null {
    const audio = this.recorded.get(turnId);
    return audio ? Buffer.concat(audio.frames) : null;
  }

  /** Whether the turn's recording is still kept here. */
  hasRecording(turnId: string): boolean {
    return this.recorded.has(turnId);
  }

  /** Audio of a turn recorded in an earlier run (an unsent voice turn), so it can be sent now. */
  restoreAudio(turnId: string, pcm: Buffer): void {
    const frameBytes = FRAME_MS * BYTES_PER_MS;
    const frames: Buffer[] = [];
    for (let at = 0; at < pcm.byteLength; at += frameBytes) frames.push(pcm.subarray(at, at + frameBytes));
    this.recorded.set(turnId, { frames, sent: 0, encoder: null });
    this.trimRecorded();
  }

  /** ms of the current reply the user will have heard once it is stopped now (for truncate), or null when none plays. */
  playedMs(): number | null {
    for (const slot of this.players.values()) {
      // What the user will have heard once the flush that follows has played out (the truncate point).
      if (slot.playback && !slot.flushed)
        return (slot.playback.heardIfStopped?.() ?? slot.playback.playedSamples()) / (WIRE_RATE / 1000);
    }
    return null;
  }

  /** Stops timers, capture and playback; the connection is closed by its owner. */
  async dispose(): Promise<void> {
    this.stopProblems?.();
    this.attach(null);
    this.disposed = true;
    for (const handle of this.timers.values()) this.deps.clock.clearTimeout(handle);
    this.timers.clear();
    for (const slot of this.players.values()) {
      slot.playback?.flush();
      slot.finish();
    }
    this.players.clear();
    const captures = [...this.captures.values()];
    this.captures.clear();
    await Promise.all(captures.map(async (p) => (await p)?.stop()));
  }

  // ---- effects -------------------------------------------------------------------------------

  private run(effect: Effect): void {
    switch (effect.kind) {
      case 'startCapture':
        return this.startCapture(effect.turnId);
      case 'stopCapture':
        return this.stopCapture(effect.turnId);
      case 'updateSession':
      case 'clearInput':
      case 'commitInput':
      case 'createMessage':
      case 'requestResponse':
      case 'cancelResponse':
      case 'toolOutput':
      case 'mcpApproval':
      case 'truncate':
      case 'deleteItem':
        return this.sendIntent(effect);
      case 'runTool':
        if (this.deps.tools) this.deps.tools.run(effect);
        else
          this.input({
            type: 'toolResult',
            turnId: effect.turnId,
            callId: effect.callId,
            status: 'failed',
            output: `No tool named ${effect.name} is available.`,
            durationMs: 0,
          });
        return;
      case 'abortTools':
        this.deps.tools?.abort(effect.turnId);
        return;
      case 'appendAudio':
        return this.sendAudio(effect.turnId, effect.fromStart);
      case 'flushAudio':
        return this.flushEncoder(effect.turnId);
      case 'warmSpeaker':
        // The server takes a while to answer: open the speaker meanwhile. A failure is reported by openPlayback.
        this.deps.audio.prepareOutput?.(this.deps.devices().output).catch(() => undefined);
        return;
      case 'dropAudio':
        this.recorded.delete(effect.turnId);
        return;
      case 'responseRecord':
        this.deps.onResponse?.(effect);
        return;
      case 'turnSettled':
        this.deps.onSettled?.(effect.turn);
        return;
      case 'session':
        this.deps.onSession?.(effect.state);
        return;
      case 'lateTranscript':
        this.deps.onLateTranscript?.(effect.itemId, effect.text, effect.complete);
        return;
      case 'openPlayback':
        return this.openPlayback(effect.turnId);
      case 'writePlayback': {
        const slot = this.players.get(effect.turnId);
        if (!slot || slot.flushed || slot.ended) return;
        const pcm = slot.decoder.push(Buffer.from(effect.audio, 'base64'));
        if (slot.playback) slot.playback.write(pcm, effect.arrivedAt);
        else slot.pending.push({ pcm, arrivedAt: effect.arrivedAt });
        return;
      }
      case 'endPlayback': {
        const slot = this.players.get(effect.turnId);
        if (!slot || slot.ended || slot.flushed) return;
        slot.ended = true;
        const tail = slot.decoder.flush();
        if (slot.playback) {
          if (tail.byteLength) slot.playback.write(tail);
          slot.playback.end();
        } else if (tail.byteLength) slot.pending.push({ pcm: tail });
        return;
      }
      case 'flushPlayback': {
        const slot = this.players.get(effect.turnId);
        if (!slot) return;
        slot.flushed = true;
        slot.playback?.flush();
        slot.finish();
        this.players.delete(effect.turnId);
        this.deps.onLevel('output', null);
        return;
      }
      case 'setTimer': {
        const old = this.timers.get(effect.name);
        if (old !== undefined) this.deps.clock.clearTimeout(old);
        const handle = this.deps.clock.setTimeout(() => {
          this.timers.delete(effect.name);
          this.input({ type: 'timer', name: effect.name });
        }, effect.ms);
        this.timers.set(effect.name, handle);
        return;
      }
      case 'clearTimer': {
        const handle = this.timers.get(effect.name);
        if (handle !== undefined) this.deps.clock.clearTimeout(handle);
        this.timers.delete(effect.name);
        return;
      }
      case 'emitTurn':
        if (!this.turnStarts.has(effect.turn.id)) this.turnStarts.set(effect.turn.id, this.logNow());
        this.deps.onTurn(effect.turn);
        return;
      case 'nextChanged':
        this.deps.onNext?.(effect.next);
        break;
      case 'notice':
        this.deps.onNotice(effect.notice);
        return;
      case 'clearNotice':
        this.deps.onClearNotice?.(effect.topic);
        return;
      case 'rotateSession':
        this.deps.onRotate?.();
        return;
    }
  }

  private startCapture(turnId: string): void {
    this.recorded.set(turnId, { frames: [], sent: 0, encoder: null });
    this.trimRecorded();
    const opening = this.deps.audio
      .openCapture({
        device: this.deps.devices().input,
        frameMs: FRAME_MS,
        onFrame: (pcm) => {
          const audio = this.recorded.get(turnId);
          if (!audio || pcm.byteLength === 0) return;
          audio.frames.push(pcm);
          this.input({ type: 'frame', ms: pcm.byteLength / BYTES_PER_MS });
        },
        onLevel: (dbfs) => this.deps.onLevel('input', dbfs),
        onError: (error) => this.input({ type: 'captureFailed', reason: error.message }),
      })
      .catch((error: unknown) => {
        this.input({ type: 'captureFailed', reason: describe(error) });
        return null;
      });
    this.captures.set(turnId, opening);
  }

  private stopCapture(turnId: string): void {
    const opening = this.captures.get(turnId);
    this.captures.delete(turnId);
    // Exactly one outcome per stop: a late answer from the device must not end a later turn.
    let settled = false;
    const settle = (input: Input | null): void => {
      if (settled) return;
      settled = true;
      this.deps.clock.clearTimeout(timer);
      this.deps.onLevel('input', null);
      if (input) this.input(input);
    };
    // A device that never answers (hung driver, vanished USB mic) must not hold the turn in "Sending…":
    // go on with what was recorded, and say why.
    const timer = this.deps.clock.setTimeout(
      () => settle({ type: 'captureFailed', reason: 'The microphone stopped responding' }),
      CAPTURE_STOP_TIMEOUT_MS,
    );
    void (async (): Promise<void> => {
      const capture = await opening;
      try {
        await capture?.stop();
      } catch (error) {
        this.deps.onNotice({
          id: `capture-${turnId}`,
          level: 'warning',
          text: describe(error),
          at: this.deps.clock.now(),
        });
      }
      // captureFailed already ended this turn's recording when opening failed.
      settle(capture ? { type: 'captureStopped' } : null);
    })();
  }

  /** A wire intent, encoded by the GA dialect; the event log keeps the wire form. */
  private sendIntent(intent: WireIntent): void {
    const images = this.deps.images;
    const event = encode(intent, {
      sessionItems: this.sessionItems,
      ...(images ? { imageUrl: images.imageUrl, imageDetail: images.detail() } : {}),
    });
    const ok = this.connection?.send(event) ?? false;
    const turnId = 'turnId' in intent ? intent.turnId : undefined;
    this.deps.log.record(
      ok ? 'out' : 'local',
      ok
        ? (event as unknown as LogEvent)
        : { type: 'not-sent', event: event as unknown, problem: 'Not connected: the event was not sent' },
      this.turnRef(turnId),
    );
  }

  private sendAudio(turnId: string, fromStart: boolean): void {
    const audio = this.recorded.get(turnId);
    if (!audio) return;
    if (fromStart || !audio.encoder) {
      audio.sent = 0;
      audio.encoder = wireEncoder(this.machine.config.audioFormat);
    }
    while (audio.sent < audio.frames.length) {
      const frame = audio.frames[audio.sent];
      if (!frame) break;
      const bytes = audio.encoder.push(frame);
      if (bytes.byteLength > 0 && !this.append(bytes, turnId)) return;
      audio.sent += 1;
    }
  }

  private flushEncoder(turnId: string): void {
    const audio = this.recorded.get(turnId);
    if (!audio?.encoder) return;
    const tail = audio.encoder.flush();
    audio.encoder = null;
    if (tail.byteLength > 0) this.append(tail, turnId);
  }

  private append(bytes: Buffer, turnId: string): boolean {
    const event: RealtimeClientEvent = appendEvent(bytes);
    const ok = this.connection?.send(event) ?? false;
    if (ok) this.deps.log.record('out', event as unknown as LogEvent, this.turnRef(turnId));
    return ok;
  }

  private openPlayback(turnId: string): void {
    let finish = (): void => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const slot: PlayerSlot = {
      playback: null,
      pending: [],
      ended: false,
      flushed: false,
      decoder: wireDecoder(this.machine.config.audioFormat),
      finished,
      finish,
    };
    this.players.set(turnId, slot);
    // Replies play one after another: a queued turn's reply waits for the previous one to drain.
    const previous = this.playbackChain;
    this.playbackChain = finished;
    const failed = (reason: string): void => {
      slot.finish();
      if (this.players.get(turnId) === slot) this.players.delete(turnId);
      this.input({ type: 'playbackFailed', turnId, reason });
    };
    void previous
      .then(async () => {
        if (slot.flushed || this.disposed) return slot.finish();
        const playback = await this.deps.audio.openPlayback({
          device: this.deps.devices().output,
          onLevel: (dbfs) => this.deps.onLevel('output', dbfs),
          onError: (error) => failed(error.message),
          onStarted: () => this.input({ type: 'playbackStarted', turnId }),
          onDrained: () => {
            slot.finish();
            if (this.players.get(turnId) === slot) this.players.delete(turnId);
            this.deps.onLevel('output', null);
            this.input({ type: 'playbackDrained', turnId });
          },
        });
        if (slot.flushed || this.disposed) {
          playback.flush();
          return slot.finish();
        }
        slot.playback = playback;
        for (const { pcm, arrivedAt } of slot.pending) playback.write(pcm, arrivedAt);
        slot.pending = [];
        if (slot.ended) playback.end();
      })
      .catch((error: unknown) => failed(describe(error)));
  }

  /** Keep the recordings of the last few turns only (the machine drops finished ones itself). */
  private trimRecorded(): void {
    while (this.recorded.size > KEPT_AUDIO_TURNS) {
      const oldest = this.recorded.keys().next().value;
      if (oldest === undefined) break;
      this.recorded.delete(oldest);
    }
  }

  // ---- connection events ---------------------------------------------------------------------

  private received(event: RealtimeServerEvent): void {
    const arrivedAt = performance.now();
    if (this.deps.claim?.(event)) {
      this.deps.log.record('in', event as unknown as LogEvent);
      return;
    }
    this.deps.log.record('in', event as unknown as LogEvent, this.turnRef(this.turnOf(event)));
    const change = conversationChange(event);
    if (change && 'added' in change) {
      const at = change.after ? this.sessionItems.indexOf(change.after) : -1;
      if (change.after && at >= 0) this.sessionItems.splice(at + 1, 0, change.added);
      else this.sessionItems.push(change.added);
    } else if (change) {
      this.sessionItems = this.sessionItems.filter((id) => id !== change.deleted);
    }
    const failed = this.listings.failedServer(event);
    if (failed !== null)
      this.deps.onNotice({
        id: `mcp-list-${failed}`,
        level: 'warning',
        text: words.remoteMcpListFailed(failed),
        topic: `mcp-list-${failed}`,
        at: this.deps.clock.now(),
      });
    const input = decode(event, this.machine.config.audioFormat);
    if (input?.type === 'audioDelta') input.arrivedAt = arrivedAt;
    if (input) this.input(input);
  }

  private unknown(event: UnknownServerEvent): void {
    this.deps.log.record(
      'local',
      {
        type: 'unknown-event',
        event,
        problem: `Unknown server event type "${event.type}": logged and ignored`,
      },
      this.turnRef(this.turnOf(null)),
    );
  }

  private malformed(raw: string, problem: string): void {
    this.deps.log.record(
      'local',
      { type: 'malformed-event', problem, raw: raw.length > 2000 ? `${raw.slice(0, 2000)}…` : raw },
      this.turnRef(this.turnOf(null)),
    );
  }

  /** The turn an incoming event belongs to: by response id, else the turn in progress. */
  private turnOf(event: RealtimeServerEvent | null): string | undefined {
    const s = this.machine;
    const responseId = event ? responseIdOf(event) : undefined;
    const byResponse = responseId ? s.turns.find((t) => t.responseIds.includes(responseId)) : undefined;
    if (byResponse) return byResponse.view.id;
    if (s.mic.phase !== 'idle') return s.mic.turnId;
    if (s.response.phase === 'requested') return s.response.turnId;
    return s.turns.at(-1)?.view.id;
  }

  private turnRef(turnId: string | undefined): TurnRef | undefined {
    if (!turnId) return undefined;
    let startedAt = this.turnStarts.get(turnId);
    if (startedAt === undefined) {
      startedAt = this.logNow();
      this.turnStarts.set(turnId, startedAt);
    }
    return { id: turnId, startedAt };
  }
}

type LogEvent = { type: string } & Record<string, unknown>;

const describe = errorMessage;
