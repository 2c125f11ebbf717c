/** What an output pump gives the engine for one reply (both pump kinds implement it). */
import type { PlaybackBuffer } from '../../core/audio/playback-buffer';

export interface PlayHooks {
  /** Reply audio handed to the device (for the level meter). */
  onContent(samples: Int16Array): void;
  /** The first reply sample reached the speaker. */
  onStarted(): void;
  /** Every reply sample was heard (after end()). */
  onDrained(): void;
}

export interface PlaySession {
  /** Reply samples (24 kHz) heard so far. */
  heard(): number;
  /** What heard() will read once a flush() now has played out (see Playback.heardIfStopped). */
  stopPoint(): number;
  /** New audio or end() arrived: feed now rather than at the next period. */
  kick(): void;
  /** Barge-in: stop with a short fade; returns every reply sample that will have been heard. */
  flush(): number;
  /** The device is gone: stop at once; returns what was heard. */
  abort(): number;
  /** True once drained, flushed or aborted. */
  readonly finished: boolean;
}

/** An output stream that can play replies. */
export interface OutputPumpLike {
  readonly device: { name: string };
  readonly running: boolean;
  readonly live: Promise<void>;
  play(buffer: PlaybackBuffer, hooks: PlayHooks): PlaySession;
  close(): Promise<void>;
}
