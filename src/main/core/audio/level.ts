/**
 * Signal levels for the UI meter: RMS in dBFS, reported at most ~30 times a second whatever the chunk size.
 */

/** The floor reported for digital silence (dBFS). */
export const SILENCE_DBFS = -100;

/** RMS level of PCM16 samples in dBFS (0 = full-scale square wave; a full-scale sine is about -3). */
export function rmsDbfs(samples: Int16Array): number {
  if (samples.length === 0) return SILENCE_DBFS;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = (samples[i] ?? 0) / 32768;
    sum += v * v;
  }
  return toDbfs(Math.sqrt(sum / samples.length));
}

/** An RMS on the [0, 1] scale in dBFS, floored at SILENCE_DBFS. */
function toDbfs(rms: number): number {
  return rms > 0 ? Math.max(SILENCE_DBFS, 20 * Math.log10(rms)) : SILENCE_DBFS;
}

/**
 * Accumulates samples and emits the RMS of everything since the last report, no more often than every
 * `minIntervalMs` of audio. Driven by audio time (sample counts), not wall time, so it is deterministic.
 */
export class LevelMeter {
  /** Sum of squared samples (full scale 32768) since the last report. */
  private sum = 0;
  private count = 0;
  private readonly every: number;

  constructor(
    rate: number,
    private readonly onLevel: (dbfs: number) => void,
    minIntervalMs = 1000 / 30,
  ) {
    this.every = Math.max(1, Math.ceil((rate * minIntervalMs) / 1000));
  }

  /** Adds samples; calls onLevel when at least one interval of audio has accumulated. */
  push(samples: Int16Array): void {
    // Runs over every captured and played sample, so it keeps its sums in locals (integer squares, scaled at
    // emit): property writes per sample cost more than the arithmetic before V8 has optimised this loop.
    let sum = this.sum;
    let count = this.count;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i] ?? 0;
      sum += v * v;
      if (++count >= this.every) {
        this.emit(sum, count);
        sum = 0;
        count = 0;
      }
    }
    this.sum = sum;
    this.count = count;
  }

  /** Reports what has accumulated, even if less than an interval (end of a press). */
  flush(): void {
    if (this.count > 0) this.emit(this.sum, this.count);
    this.sum = 0;
    this.count = 0;
  }

  private emit(sum: number, count: number): void {
    this.onLevel(toDbfs(Math.sqrt(sum / count) / 32768));
  }
}
