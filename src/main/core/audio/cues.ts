/**
 * Sound cues: a short rising chirp when talking starts, a falling one when it stops, two low beeps when a turn
 * fails. Generated here (24 kHz PCM16, no asset files) and played by the AudioEngine on the reply's speaker; the
 * engine keeps what the microphone hears while a cue sounds out of every press and of the pre-roll, so a cue never
 * reaches the server.
 */
import { WIRE_RATE, type AudioEngine } from './engine';

export type CueKind = 'start' | 'stop' | 'error';

/** The band every cue sounds in (Hz): tests look for cue energy there; speech has little of it at this level. */
export const CUE_BAND = { low: 1100, high: 1900 } as const;

/** One tone segment: a linear sweep from `from` to `to` Hz. */
interface Segment {
  from: number;
  to: number;
  ms: number;
  /** Silence after the tone. */
  gapMs?: number;
}

const SHAPES: Record<CueKind, Segment[]> = {
  start: [{ from: 1200, to: 1800, ms: 50 }],
  stop: [{ from: 1800, to: 1200, ms: 50 }],
  error: [
    { from: 1200, to: 1200, ms: 45, gapMs: 35 },
    { from: 1200, to: 1200, ms: 45 },
  ],
};

/** Fade in and out (ms): a tone that starts or stops abruptly clicks. */
const FADE_MS = 5;

/**
 * The cue's samples at `volume` (0–100; loudness follows the square, so the slider feels even). Volume 0 gives an
 * empty array: nothing to play.
 */
export function cuePcm(kind: CueKind, volume: number): Int16Array {
  const v = Math.max(0, Math.min(100, volume)) / 100;
  if (v === 0) return new Int16Array(0);
  const peak = 0.5 * 32767 * v * v;
  const segments = SHAPES[kind];
  const total = segments.reduce((n, s) => n + samples(s.ms) + samples(s.gapMs ?? 0), 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const segment of segments) {
    const n = samples(segment.ms);
    const fade = samples(FADE_MS);
    let phase = 0;
    for (let i = 0; i < n; i++) {
      const hz = segment.from + ((segment.to - segment.from) * i) / n;
      phase += (2 * Math.PI * hz) / WIRE_RATE;
      const edge = Math.min(1, i / fade, (n - 1 - i) / fade);
      const gain = 0.5 - 0.5 * Math.cos(Math.PI * Math.max(0, edge));
      out[at + i] = Math.round(peak * gain * Math.sin(phase));
    }
    at += n + samples(segment.gapMs ?? 0);
  }
  return out;
}

function samples(ms: number): number {
  return Math.round((ms * WIRE_RATE) / 1000);
}

/** What decides whether a cue plays now. */
export interface CueContext {
  enabled: boolean;
  volume: number;
  /** A reply is playing: a cue would sound over it (a press then is a barge-in, which is feedback enough). */
  replyAudible: boolean;
}

/** Whether a cue plays: cues on, volume above 0, and no reply sounding. */
export function shouldPlayCue(context: CueContext): boolean {
  return context.enabled && context.volume > 0 && !context.replyAudible;
}

/** Plays cues through the engine, caching each cue's samples per volume. Failures are ignored: a cue is a nicety. */
export class SoundCues {
  private cache = new Map<string, Int16Array>();

  constructor(
    private readonly audio: AudioEngine,
    private readonly settings: () => { soundCues: boolean; cueVolume: number; outputDevice: string | null },
  ) {}

  /** Plays `kind` if the policy allows it; returns whether it was handed to the engine. */
  play(kind: CueKind, replyAudible: boolean): boolean {
    const s = this.settings();
    if (!this.audio.playCue) return false;
    if (!shouldPlayCue({ enabled: s.soundCues, volume: s.cueVolume, replyAudible })) return false;
    const key = `${kind}@${s.cueVolume}`;
    let pcm = this.cache.get(key);
    if (!pcm) {
      pcm = cuePcm(kind, s.cueVolume);
      if (this.cache.size > 32) this.cache.clear();
      this.cache.set(key, pcm);
    }
    this.audio.playCue(pcm, s.outputDevice).catch(() => undefined);
    return true;
  }
}
