/**
 * The AudioEngine over PortAudio (naudiodon), for the app and browser mode on a machine with sound.
 *
 * Decisions (why):
 * - The microphone stream stays open once used (or once prime() is called at startup) and is shared by presses.
 *   Opening a PulseAudio source takes 0.3–2 s; a press that opened the device would lose its first words. A warm
 *   stream makes capture start at the key-down instant, and `preRollMs` (300 by default) adds what it heard just
 *   before, so a word begun a moment before the key went down is kept whole.
 * - Sound cues play on the reply stream, and the microphone's audio is silenced from the cue's start until it has
 *   played out plus `cueEchoMs` (the way back through the room and the input buffers): in a press and in the
 *   pre-roll alike, so a cue heard by the microphone never reaches the server. Speech in those few tens of ms is
 *   lost; that is the price of a cue that cannot leak.
 * - The speaker is two streams on the same device. A standby stream with long periods (100 ms) plays silence for as
 *   long as the engine is primed: it keeps the device and the sound server running, so a new stream starts at once
 *   (on an idle PulseAudio sink a new stream can wait 1–2 s for its first period), and it costs a few wake-ups a
 *   second. Replies play on a low-latency stream that opens when a voice reply is requested or its first audio
 *   arrives, and rests once no reply has played for `restAfterMs`: on ALSA's "pulse"/"default" devices a stream
 *   written straight to the sound server (it holds only reply audio, so the first sample is not queued behind a
 *   buffer of silence), elsewhere a PortAudio stream with 5 ms periods (sound ~20 ms behind the write). A PortAudio
 *   reply stream kept open all the time was the largest CPU cost of a held key (200 wake-ups a second for silence).
 * - Periods: 10 ms in, gathered natively into 20 ms blocks (one per wire frame), 5 ms out while a reply plays, 100 ms standby (at 40 ms its
 *   threads woke ~95 times a second, at 100 ms ~35; a reply's first sound is no later either way).
 * - PortAudio enumerates devices only while no stream is open, so device watching sees changes while idle; a device
 *   that dies mid-use is caught by each stream's stall watchdog instead (and capture falls back to the default).
 */
import {
  AudioError,
  WIRE_RATE,
  type AudioEngine,
  type Capture,
  type CaptureOptions,
  type DeviceList,
  type Playback,
  type PlaybackOptions,
} from '../../core/audio/engine';
import { Framer } from '../../core/audio/framer';
import { LevelMeter } from '../../core/audio/level';
import { int16ToPcm16, msToSamples, pcm16ToInt16, Pcm16Joiner } from '../../core/audio/pcm';
import { PlaybackBuffer, PlayoutDelay, type PlayoutDelayOptions } from '../../core/audio/playback-buffer';
import { chooseDevice, scanDevices, toDeviceList, type PortDevice } from './devices';
import { InputPump } from './input';
import { loadNaudiodon, type NaudiodonModule } from './load';
import { ClockedOutputPump } from './output-clocked';
import type { PulseStreamOptions } from './output-pulse';
import type { OutputPumpLike, PlaySession } from './session';
import { errorMessage } from '../../../shared/error-message';

export interface NaudiodonEngineOptions {
  /**
   * Microphone device period in ms (default 10). The sound server hands a capture stream its audio a period at a
   * time, so a shorter period brings each sample sooner; the patched naudiodon gathers periods into `inputGatherMs`
   * blocks, so JavaScript still wakes once per 20 ms wire frame.
   */
  inputPeriodMs?: number;
  /** Captured audio reaches JavaScript in blocks of this many ms (default 20: one wire frame). */
  inputGatherMs?: number;
  /**
   * The microphone on ALSA's "pulse"/"default" devices is recorded from the sound server directly (input-pulse.ts):
   * fragments of `inputPeriodMs`, where PortAudio's ALSA path hands over 20 ms whatever is asked. false keeps
   * PortAudio. Default true.
   */
  inputPulse?: boolean;
  /**
   * Speaker device period in ms (default 5). The sound server buffers ~3 periods and naudiodon one more, so this
   * sets the reply's output latency: measured on PulseAudio 20 ms at 5 ms periods vs 45 ms at 10 ms periods.
   */
  outputPeriodMs?: number;
  /**
   * Replies on ALSA's "pulse"/"default" devices are written straight to the sound server (output-pulse.ts): the
   * server stream's settings (default: target 10, prebuf 2 ms; see PulseStreamOptions). false keeps
   * them on PortAudio.
   */
  outputPulse?: PulseStreamOptions | false;
  /** Period of the speaker's standby stream in ms (default 100): see the module comment. */
  standbyPeriodMs?: number;
  /** The low-latency speaker stream closes once no reply has played for this long (default 2000 ms). */
  restAfterMs?: number;
  /** Force the device stream rate (tests of the resampling path; odd hardware). Default: 24 kHz, else the device's. */
  inputDeviceRate?: number;
  outputDeviceRate?: number;
  /** Audio from just before openCapture() included at the start of a press (default 300 ms). */
  preRollMs?: number;
  /** After a cue has played out, the microphone stays silenced this long for its echo (default 120 ms). */
  cueEchoMs?: number;
  /**
   * The playout delay: a reply starts this long after its first audio, adapted to how late the server's deltas
   * arrive (default: from 10 ms, see PlayoutDelay). A number fixes it.
   */
  playoutDelay?: PlayoutDelayOptions | number;
  /**
   * Reply audio kept queued in naudiodon ahead of the speaker (default 200 ms). It absorbs main-thread
   * stalls without adding latency (nothing is queued between replies) and barge-in drops it at once.
   */
  outputCushionMs?: number;
  /** A running stream with no data for this long is treated as lost (default 500 ms). */
  stallMs?: number;
  /** How long a freshly opened stream may take to deliver its first data (default 3000 ms). */
  startGraceMs?: number;
  /**
   * A microphone lost while no key is held is reopened in the background; the user is told only once it has stayed
   * lost this long (default 3000 ms).
   */
  lostNoticeMs?: number;
  /** Device polling interval for watchDevices (default 2000 ms). */
  watchIntervalMs?: number;
  /** Loader override (tests). */
  load?: () => NaudiodonModule;
}

interface ActiveCapture {
  framer: Framer;
  meter: LevelMeter | null;
  onError?: (error: AudioError) => void;
  /** The device name this press asked for (null = default). */
  device: string | null;
  /** When the press began (performance.now()). */
  pressedAt: number;
  /** 24 kHz samples delivered to this press (pre-roll included). */
  received: number;
  /** Of those, the pre-roll: audio from before the press. */
  preRolled: number;
  /**
   * Set when the key went up before any audio arrived (a cold, reopening or stalled device): the press keeps
   * listening until it has the held length of audio, then `done` ends it.
   */
  catchUp: { samples: number; done: () => void } | null;
}

/** When a reply's first audio was written and first handed to the device (performance.now() ms). */
export interface PlaybackTiming {
  firstAudioAt: number | null;
  handedAt: number | null;
}

interface ActivePlayback {
  buffer: PlaybackBuffer;
  session: PlaySession;
  options: PlaybackOptions;
}

/** PortAudio-backed engine (see module comment). */
export class NaudiodonEngine implements AudioEngine {
  private readonly opts: Required<
    Omit<
      NaudiodonEngineOptions,
      'inputDeviceRate' | 'outputDeviceRate' | 'load' | 'playoutDelay' | 'outputPulse'
    >
  > &
    Pick<NaudiodonEngineOptions, 'inputDeviceRate' | 'outputDeviceRate'>;
  private readonly loader: () => NaudiodonModule;
  private readonly pulse: PulseStreamOptions | null;
  private input: InputPump | null = null;
  /** The low-latency stream replies play on; null while resting. */
  private output: ClockedOutputPump | null = null;
  /** The standby stream that keeps the speaker device running (see module comment). */
  private standby: ClockedOutputPump | null = null;
  private restTimer: ReturnType<typeof setTimeout> | null = null;
  /** Output diagnostics of playback streams already closed (they add up over rests). */
  private retired = { gaps: 0, starved: 0, underflows: 0 };
  private readonly captures = new Set<ActiveCapture>();
  private readonly beats = new Set<() => void>();
  private playback: ActivePlayback | null = null;
  /** Recent 24 kHz input for pre-roll, with when each chunk arrived (performance.now()). */
  private ring: { pcm: Int16Array; at: number }[] = [];
  private ringSamples = 0;
  /** Whether each warm stream was opened as "the default device" (so a null request can reuse it). */
  private inputIsDefault = false;
  /** The microphone last asked for (null = default; undefined = none yet): what a lost one is reopened as. */
  private inputWanted: string | null | undefined = undefined;
  /** A background reopen of a microphone lost while idle is running. */
  private reviving = false;
  private readonly problems = new Set<(problem: string | null) => void>();
  private readonly taps = new Set<(pcm: Int16Array, at: number) => void>();
  private readonly timings: PlaybackTiming[] = [];
  private outputIsDefault = false;
  private closed = false;
  /**
   * Microphone audio captured from `muteFrom` until `muteUntil` (performance.now() ms) is silenced: a cue is sounding.
   * By capture time, not arrival: what was said just before the cue began arrives during it and must be kept.
   */
  private muteFrom = 0;
  private muteUntil = 0;
  /** Counts cues, so only the latest one's end lifts the silence. */
  private cueSeq = 0;
  /** Learned across replies: how late the server's audio arrives (see PlayoutDelay). */
  private readonly delay: PlayoutDelay | number;

  constructor(options: NaudiodonEngineOptions = {}) {
    this.opts = {
      inputPeriodMs: options.inputPeriodMs ?? 10,
      inputGatherMs: options.inputGatherMs ?? 20,
      inputPulse: options.inputPulse ?? true,
      outputPeriodMs: options.outputPeriodMs ?? 5,
      standbyPeriodMs: options.standbyPeriodMs ?? 100,
      restAfterMs: options.restAfterMs ?? 2000,
      outputCushionMs: options.outputCushionMs ?? 200,
      preRollMs: options.preRollMs ?? 300,
      cueEchoMs: options.cueEchoMs ?? 120,
      stallMs: options.stallMs ?? 500,
      startGraceMs: options.startGraceMs ?? 3000,
      watchIntervalMs: options.watchIntervalMs ?? 2000,
      lostNoticeMs: options.lostNoticeMs ?? 3000,
      inputDeviceRate: options.inputDeviceRate,
      outputDeviceRate: options.outputDeviceRate,
    };
    this.loader = options.load ?? loadNaudiodon;
    this.pulse =
      options.outputPulse === false ? null : (options.outputPulse ?? { targetMs: 10, prebufMs: 2 });
    this.delay =
      typeof options.playoutDelay === 'number'
        ? options.playoutDelay
        : new PlayoutDelay(options.playoutDelay);
  }

  /** Devices of the default host API; an unusable audio system comes back as `error`, not a throw. */
  async listDevices(): Promise<DeviceList> {
    try {
      return toDeviceList(scanDevices(this.loader()));
    } catch (error) {
      return { inputs: [], outputs: [], error: errorMessage(error) };
    }
  }

  /** Opens the default (or named) devices ahead of the first press/reply so neither pays the open time. */
  async prime(devices: { input?: string | null; output?: string | null } = {}): Promise<void> {
    this.assertOpen();
    if (devices.input !== undefined) await this.ensureInput(devices.input);
    if (devices.output !== undefined) await this.ensureStandby(devices.output);
  }

  /**
   * A voice reply was requested: open the low-latency speaker stream now, so the reply's first audio plays without
   * waiting for it. It rests again if no reply plays within `restAfterMs`.
   */
  async prepareOutput(device: string | null): Promise<void> {
    this.assertOpen();
    await this.ensureOutput(device);
    this.scheduleRest();
  }

  /**
   * Starts a press: frames from now on (plus pre-roll), last partial frame delivered before stop() resolves. It does
   * not wait for a cold or reopening device: the press is registered at once and takes the audio as it comes.
   */
  async openCapture(options: CaptureOptions): Promise<Capture> {
    this.assertOpen();
    const framer = new Framer(Framer.samplesFor(options.frameMs, WIRE_RATE), options.onFrame);
    const capture: ActiveCapture = {
      framer,
      meter: options.onLevel ? new LevelMeter(WIRE_RATE, options.onLevel) : null,
      onError: options.onError,
      device: options.device,
      pressedAt: performance.now(),
      received: 0,
      preRolled: 0,
      catchUp: null,
    };
    await this.ensureInput(options.device, { waitLive: false });
    for (const chunk of this.preRoll()) this.deliver(capture, chunk);
    capture.preRolled = capture.received;
    this.captures.add(capture);
    let stopped: Promise<void> | null = null;
    const finish = (): void => {
      this.captures.delete(capture);
      capture.catchUp = null;
      capture.meter?.flush();
      capture.framer.flush();
    };
    return {
      stop: (): Promise<void> => {
        stopped ??= this.stopCapture(capture, finish);
        return stopped;
      },
    };
  }

  /**
   * Key up. With audio flowing the press ends now. When nothing has arrived since the press (the device was cold,
   * reopening or stalled), the press is not a tap: it keeps listening until it has the held length of audio,
   * bounded by `startGraceMs`, so the words of a press that met a waking device still reach the server.
   */
  private async stopCapture(capture: ActiveCapture, finish: () => void): Promise<void> {
    const heldMs = performance.now() - capture.pressedAt;
    const input = this.input;
    if (capture.received > capture.preRolled || this.closed || !input || heldMs <= 0) return finish();
    const want = capture.preRolled + msToSamples(heldMs, WIRE_RATE);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.opts.startGraceMs);
      timer.unref?.();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      capture.catchUp = { samples: want, done };
    });
    finish();
  }

  /**
   * Plays a sound cue on the reply stream, unless a reply holds it. The microphone is silenced from now until the cue
   * has played out plus cueEchoMs (bounded, in case a reply takes the stream first and the cue never drains).
   */
  async playCue(pcm: Int16Array, device: string | null): Promise<void> {
    this.assertOpen();
    if (pcm.length === 0) return;
    const replyBusy = (): boolean => this.playback !== null && !this.playback.session.finished;
    if (replyBusy()) return;
    const seq = ++this.cueSeq;
    const cueMs = (pcm.length * 1000) / WIRE_RATE;
    const now = performance.now();
    if (now >= this.muteUntil) this.muteFrom = now;
    this.muteUntil = Math.max(this.muteUntil, now + cueMs + CUE_LATENCY_BOUND_MS);
    const pump = await this.ensureOutput(device);
    if (replyBusy() || seq !== this.cueSeq) return;
    const buffer = new PlaybackBuffer({ rate: WIRE_RATE, delay: 0 });
    buffer.write(pcm);
    buffer.end();
    const session = pump.play(buffer, {
      onContent: () => undefined,
      onStarted: () => undefined,
      onDrained: () => {
        if (seq === this.cueSeq) this.muteUntil = performance.now() + this.opts.cueEchoMs;
      },
    });
    session.kick();
    this.scheduleRest();
  }

  /** Starts one reply's playback on the warm output stream; a previous reply still playing is flushed. */
  async openPlayback(options: PlaybackOptions): Promise<Playback> {
    this.assertOpen();
    const pump = await this.ensureOutput(options.device);
    const previous = this.playback;
    if (previous && !previous.session.finished) previous.session.flush();
    const buffer = new PlaybackBuffer({ rate: WIRE_RATE, delay: this.delay });
    const joiner = new Pcm16Joiner();
    const meter = options.onLevel ? new LevelMeter(WIRE_RATE, options.onLevel) : null;
    const timing: PlaybackTiming = { firstAudioAt: null, handedAt: null };
    this.timings.push(timing);
    if (this.timings.length > 64) this.timings.shift();
    const session = pump.play(buffer, {
      onContent: (samples) => {
        timing.handedAt ??= performance.now();
        meter?.push(samples);
      },
      onStarted: () => options.onStarted?.(),
      onDrained: () => {
        meter?.flush();
        options.onDrained?.();
      },
    });
    this.playback = { buffer, session, options };
    this.scheduleRest();
    return {
      write: (pcm: Buffer, arrivedAt?: number): void => {
        timing.firstAudioAt ??= performance.now();
        buffer.write(pcm16ToInt16(joiner.push(pcm)), arrivedAt);
        session.kick();
      },
      end: (): void => {
        buffer.end();
        session.kick();
      },
      flush: (): number => session.flush(),
      playedSamples: (): number => session.heard(),
      heardIfStopped: (): number => session.stopPoint(),
      receivedSamples: (): number => buffer.received,
    };
  }

  /**
   * For benchmarks: per recent reply, when its first audio was written and when the playout buffer first handed
   * audio to the device (the difference is the playout delay actually waited).
   */
  playbackTimings(): readonly PlaybackTiming[] {
    return this.timings;
  }

  /** For benchmarks and tests: the path the microphone records through, null when it is closed. */
  inputBackend(): 'pulse' | 'portaudio' | null {
    return this.input?.running ? this.input.backend : null;
  }

  /** For benchmarks: the path replies play through now ('pulse': the sound server directly), null when resting. */
  outputBackend(): 'pulse' | 'portaudio' | null {
    return this.output?.backend ?? null;
  }

  /** The playout delay replies start with now (ms), as learned so far. */
  playoutDelayMs(): number {
    return typeof this.delay === 'number' ? this.delay : this.delay.ms;
  }

  /** For benchmarks and tests: the current reply's heard count (24 kHz samples) now, or null when none plays. */
  heardNow(): { heard: number; at: number } | null {
    const active = this.playback;
    if (!active || active.session.finished) return null;
    return { heard: active.session.heard(), at: performance.now() };
  }

  /** For benchmarks: every captured 24 kHz chunk with its arrival time (performance.now()). */
  tapInput(listener: (pcm: Int16Array, at: number) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  /** Output health for diagnostics and benchmarks: times the queue ran dry mid-reply, PortAudio's own counters. */
  outputDiagnostics(): { gaps: number; starved: number; underflows: number } {
    const out = this.output;
    const { gaps, starved, underflows } = this.retired;
    if (!out) return { gaps, starved, underflows };
    return {
      gaps: gaps + out.gaps,
      starved: starved + out.starved,
      underflows: underflows + out.stats().underflows,
    };
  }

  /** Polls the device list every watchIntervalMs and reports changes (names, defaults). */
  watchDevices(onChange: (list: DeviceList) => void): () => void {
    let last = '';
    let busy = false;
    const poll = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        const list = await this.listDevices();
        const key = JSON.stringify(list);
        if (last && key !== last) onChange(list);
        last = key;
      } finally {
        busy = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), this.opts.watchIntervalMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  /** Stops both streams; further opens fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.captures) c.framer.flush();
    this.captures.clear();
    this.playback?.session.abort();
    if (this.restTimer) clearTimeout(this.restTimer);
    const { input, output, standby } = this;
    this.input = null;
    this.output = null;
    this.standby = null;
    await Promise.all([input?.close(), output?.close(), standby?.close()]);
  }

  private async ensureInput(
    name: string | null,
    { waitLive = true }: { waitLive?: boolean } = {},
  ): Promise<InputPump> {
    const lib = this.loader();
    this.inputWanted = name;
    const current = this.input;
    if (current?.running && (name === null ? this.inputIsDefault : current.device.name === name))
      return current;
    const device = chooseDevice(scanDevicesSafe(lib), name, 'input');
    if (current?.running && current.device.name === device.name) return current;
    // No await unless there is a stream to close: a press and a background reopen must not both open one.
    if (current) await current.close();
    this.input = null;
    this.ring = [];
    this.ringSamples = 0;
    const pump = InputPump.open(lib, device, {
      periodMs: this.opts.inputPeriodMs,
      gatherMs: this.opts.inputGatherMs,
      pulse: this.opts.inputPulse,
      deviceRate: this.opts.inputDeviceRate,
      stallMs: this.opts.stallMs,
      startGraceMs: this.opts.startGraceMs,
      onLost: (reason) => void this.inputLost(pump, reason),
    });
    pump.subscribe((pcm) => this.onInput(pcm, pump.timeOf(pump.samples - pcm.length)));
    this.input = pump;
    this.inputIsDefault = name === null;
    if (waitLive) await this.waitLive(pump.live, 'input', device.name);
    return pump;
  }

  /** Opens (or reuses) the standby stream on the chosen speaker; returns that device. */
  private async ensureStandby(name: string | null): Promise<PortDevice> {
    const lib = this.loader();
    const current = this.standby;
    if (current?.running && (name === null ? this.outputIsDefault : current.device.name === name))
      return current.device;
    const device = chooseDevice(scanDevicesSafe(lib), name, 'output');
    if (current?.running && current.device.name === device.name) return device;
    await current?.close();
    this.standby = null;
    // A standby stream that fails only costs start-up time later: the next reply reopens it.
    const pump = this.openSpeaker(lib, device, this.opts.standbyPeriodMs, null, () => {
      if (this.standby === pump) this.standby = null;
    });
    this.standby = pump;
    this.outputIsDefault = name === null;
    await this.waitLive(pump.live, 'output', device.name);
    return device;
  }

  /** The low-latency stream for replies, on the standby stream's device. */
  private async ensureOutput(name: string | null): Promise<OutputPumpLike> {
    const device = await this.ensureStandby(name);
    const current = this.output;
    if (current?.running && current.device.name === device.name) return current;
    // Set before any await, so a reply arriving while prepareOutput is still here reuses this stream.
    const pump = this.openSpeaker(this.loader(), device, this.opts.outputPeriodMs, this.pulse, (reason) =>
      this.outputLost(pump, reason),
    );
    this.output = pump;
    await this.retire(current);
    // Not waiting for it to go live: with the device kept running it starts at once, and a reply's own watchdog
    // (startGraceMs) reports a stream that never does.
    return pump;
  }

  private openSpeaker(
    lib: NaudiodonModule,
    device: PortDevice,
    periodMs: number,
    pulse: PulseStreamOptions | null,
    onLost: (reason: string) => void,
  ): ClockedOutputPump {
    const pump = ClockedOutputPump.open(lib, device, {
      periodMs,
      cushionMs: this.opts.outputCushionMs,
      fadeMs: 5,
      deviceRate: this.opts.outputDeviceRate,
      stallMs: this.opts.stallMs,
      startGraceMs: this.opts.startGraceMs,
      pulse,
      onLost,
    });
    // Playback counts what the speaker really played from naudiodon's native clock, which our patch adds.
    if (!pump) {
      throw new AudioError(
        'unavailable',
        'The audio library was installed without Talkie\'s patch (patches/naudiodon+2.3.6.patch). Reinstall with "npm ci".',
      );
    }
    return pump;
  }

  /** (Re)arms the rest timer: the low-latency stream closes once no reply has played for restAfterMs. */
  private scheduleRest(): void {
    if (this.restTimer) clearTimeout(this.restTimer);
    this.restTimer = setTimeout(() => {
      this.restTimer = null;
      if (this.playback && !this.playback.session.finished) return this.scheduleRest();
      const out = this.output;
      this.output = null;
      void this.retire(out);
    }, this.opts.restAfterMs);
    this.restTimer.unref?.();
  }

  /** Closes a playback stream, keeping its diagnostics. */
  private async retire(pump: ClockedOutputPump | null): Promise<void> {
    if (!pump) return;
    this.retired.gaps += pump.gaps;
    this.retired.starved += pump.starved;
    this.retired.underflows += pump.stats().underflows;
    await pump.close();
  }

  /** A cold stream is only useful once audio flows; until then a press would lose its first words. */
  private async waitLive(live: Promise<void>, kind: 'input' | 'output', name: string): Promise<void> {
    try {
      await live;
    } catch (error) {
      const what = kind === 'input' ? 'microphone' : 'speaker';
      const reason = errorMessage(error);
      throw new AudioError('open-failed', `The ${what} "${name}" opened but never started (${reason}).`);
    }
  }

  /** `capturedAt`: when the chunk's first sample was captured (performance.now() ms, see InputPump.timeOf). */
  private onInput(pcm: Int16Array, capturedAt: number): void {
    if (this.taps.size > 0) {
      const at = performance.now();
      for (const tap of this.taps) tap(pcm, at);
    }
    // A cue is sounding (or its echo): neither a press nor the pre-roll may hear it.
    pcm = this.silenceCue(pcm, capturedAt);
    if (this.opts.preRollMs > 0) {
      this.ring.push({ pcm, at: performance.now() });
      this.ringSamples += pcm.length;
      const keep = msToSamples(this.opts.preRollMs, WIRE_RATE);
      while (this.ring.length > 1 && this.ringSamples - (this.ring[0]?.pcm.length ?? 0) >= keep) {
        this.ringSamples -= this.ring.shift()?.pcm.length ?? 0;
      }
    }
    for (const capture of this.captures) this.deliver(capture, pcm);
    // After the frame went out, so whatever it queued for the window can leave on this same wake-up.
    for (const beat of this.beats) beat();
  }

  /** `pcm` with the samples captured while a cue sounded set to silence (a copy when any are). */
  private silenceCue(pcm: Int16Array, capturedAt: number): Int16Array {
    const from = Math.ceil(((this.muteFrom - capturedAt) * WIRE_RATE) / 1000);
    const until = Math.ceil(((this.muteUntil - capturedAt) * WIRE_RATE) / 1000);
    const start = Math.max(0, from);
    const end = Math.min(pcm.length, until);
    if (end <= start) return pcm;
    const out = pcm.slice();
    out.fill(0, start, end);
    return out;
  }

  onBeat(listener: () => void): () => void {
    this.beats.add(listener);
    return () => this.beats.delete(listener);
  }

  /**
   * The last preRollMs of input, if it is recent: after a stall (a paused process, a device that stopped) the ring
   * holds audio from long before the press, which is not what the user said just now.
   */
  private preRoll(): Int16Array[] {
    const want = msToSamples(this.opts.preRollMs, WIRE_RATE);
    const last = this.ring.at(-1);
    if (want <= 0 || !last || performance.now() - last.at > PRE_ROLL_FRESH_MS) return [];
    let skip = Math.max(0, this.ringSamples - want);
    const out: Int16Array[] = [];
    for (const { pcm: chunk } of this.ring) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      out.push(chunk.subarray(skip));
      skip = 0;
    }
    return out;
  }

  private deliver(capture: ActiveCapture, pcm: Int16Array): void {
    const catchUp = capture.catchUp;
    const part = catchUp ? pcm.subarray(0, Math.max(0, catchUp.samples - capture.received)) : pcm;
    if (part.length > 0) {
      capture.received += part.length;
      capture.meter?.push(part);
      capture.framer.push(int16ToPcm16(part));
    }
    if (catchUp && capture.received >= catchUp.samples) catchUp.done();
  }

  /**
   * The microphone died. A press in progress keeps its frames and carries on with the default device (and is told);
   * with no press, the same microphone is reopened in the background so the next press finds it warm, and the user
   * is told only if it stays lost.
   */
  private async inputLost(pump: InputPump, reason: string): Promise<void> {
    if (this.input === pump) this.input = null;
    const affected = [...this.captures];
    const name = pump.device.name;
    if (affected.length === 0 || this.closed) {
      void this.revive(name, reason);
      return;
    }
    let fallback: InputPump | null = null;
    try {
      fallback = await this.ensureInput(null);
    } catch {
      fallback = null;
    }
    const message = !fallback
      ? `The microphone "${name}" stopped working (${reason}), and no other microphone could be opened. What you said before is kept.`
      : fallback.device.name === name
        ? `The microphone "${name}" stopped working (${reason}) and was reopened; a moment may be missing, what you said before is kept.`
        : `The microphone "${name}" stopped working (${reason}). Switched to the default microphone "${fallback.device.name}"; what you said before is kept.`;
    for (const capture of affected) capture.onError?.(new AudioError('device-lost', message));
    if (!fallback) void this.revive(name, reason);
  }

  /** Reopens the microphone last asked for, with growing pauses, until it works, another open wins, or close(). */
  private async revive(name: string, reason: string): Promise<void> {
    if (this.reviving || this.closed || this.inputWanted === undefined) return;
    this.reviving = true;
    const since = performance.now();
    let told = false;
    let pause = 100;
    try {
      while (!this.closed && !this.input?.running) {
        try {
          await this.ensureInput(this.inputWanted ?? null);
          break;
        } catch {
          // Still gone: try again after a pause.
        }
        if (!told && performance.now() - since >= this.opts.lostNoticeMs) {
          told = true;
          this.tell(
            `The microphone "${name}" stopped working (${reason}). Talkie keeps trying to reopen it; check that it is connected.`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, pause).unref?.());
        pause = Math.min(pause * 2, 2000);
      }
    } finally {
      this.reviving = false;
    }
    if (told && this.input?.running) this.tell(null);
  }

  /**
   * Device problems that are nobody's press: a microphone that stayed lost (text), or that works again (null).
   * Returns the unsubscribe function.
   */
  onProblem(listener: (problem: string | null) => void): () => void {
    this.problems.add(listener);
    return () => this.problems.delete(listener);
  }

  private tell(problem: string | null): void {
    for (const listener of this.problems) listener(problem);
  }

  /** The speaker died: the reply's playback ends (its played count freezes); the next reply reopens a device. */
  private outputLost(pump: OutputPumpLike, reason: string): void {
    if (this.output === pump) this.output = null;
    // The standby stream goes down with a lost device too: the next reply opens both afresh.
    if (this.standby?.device.name === pump.device.name) {
      const standby = this.standby;
      this.standby = null;
      void standby.close();
    }
    const active = this.playback;
    if (active && !active.session.finished) {
      active.session.abort();
      active.options.onError?.(
        new AudioError(
          'device-lost',
          `The speaker "${pump.device.name}" stopped working (${reason}). The reply's text is kept.`,
        ),
      );
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new AudioError('unavailable', 'The audio engine has been shut down.');
  }
}

/** Pre-roll is used only if the microphone delivered this recently (ms): a few of its 20 ms blocks. */
const PRE_ROLL_FRESH_MS = 100;

/** The longest a cue may keep the microphone silenced beyond its own length (a reply took the stream first). */
const CUE_LATENCY_BOUND_MS = 300;

/** Device scan where a PortAudio failure becomes a plain-words AudioError. */
function scanDevicesSafe(lib: NaudiodonModule): PortDevice[] {
  try {
    return scanDevices(lib);
  } catch (error) {
    throw new AudioError('unavailable', `The sound system could not be queried: ${errorMessage(error)}.`);
  }
}

/** Builds the engine the app uses: naudiodon when it loads, otherwise the NullAudioEngine with the reason. */
export async function createAudioEngine(options: NaudiodonEngineOptions = {}): Promise<AudioEngine> {
  const { NullAudioEngine } = await import('../../core/audio/null-engine');
  try {
    (options.load ?? loadNaudiodon)();
  } catch (error) {
    return new NullAudioEngine(errorMessage(error));
  }
  return new NaudiodonEngine(options);
}
