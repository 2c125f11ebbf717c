/**
 * Signal levels for the UI meter: RMS in dBFS, reported at most ~30 times a second whatever the chunk size.
 */

/** The floor reported for digital silence (dBFS). */
export const SILENCE_DBFS = -100;

/** RMS level of PCM16 samples in dBFS (0 = full-scale square wave; a full-scale sine is about -3). */
export function rmsDbfs(samples: Int16Array): number {
  return samples.length === 0 ? SILENCE_DBFS : dbfs(sumOfSquares(samples, 0, samples.length), samples.length);
}

/**
 * Sum of squared samples in [from, to). It runs over every captured and played sample, so it keeps to a local
 * (per-sample property writes cost more than the arithmetic before V8 has optimised the loop).
 */
function sumOfSquares(samples: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const v = samples[i] ?? 0;
    sum += v * v;
  }
  return sum;
}

/** dBFS of `count` samples whose squares (full scale 32768) sum to `sum`, floored at SILENCE_DBFS. */
function dbfs(sum: number, count: number): number {
  const rms = Math.sqrt(sum / count) / 32768;
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

  /** Adds samples; calls onLevel each time an interval of audio has accumulated. */
  push(samples: Int16Array): void {
    for (let i = 0; i < samples.length;) {
      const end = Math.min(samples.length, i + this.every - this.count);
      this.sum += sumOfSquares(samples, i, end);
      this.count += end - i;
      i = end;
      if (this.count >= this.every) this.flush();
    }
  }

  /** Reports what has accumulated, even if less than an interval (end of a press). */
  flush(): void {
    if (this.count === 0) return;
    const level = dbfs(this.sum, this.count);
    this.sum = 0;
    this.count = 0;
    this.onLevel(level);
  }
}
