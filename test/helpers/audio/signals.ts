/** Deterministic test signals and measurements shared by audio unit tests, real-device tests and the benchmark. */

/** A sine of `freq` Hz at `rate`, `seconds` long, peak `amp` (floats in [-1, 1]). */
export function sine(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const n = Math.round(rate * seconds);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** RMS of a float signal. */
export function rms(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] ?? 0) ** 2;
  return x.length ? Math.sqrt(s / x.length) : 0;
}

/** Estimated frequency from rising zero crossings (linear interpolation between samples). */
export function zeroCrossingFrequency(x: ArrayLike<number>, rate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < x.length; i++) {
    const a = x[i - 1] ?? 0;
    const b = x[i] ?? 0;
    if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
  }
  if (crossings.length < 2) return 0;
  const first = crossings[0] ?? 0;
  const last = crossings[crossings.length - 1] ?? 0;
  return ((crossings.length - 1) * rate) / (last - first);
}

/** Int16 samples -> floats. */
export function toFloat(x: Int16Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] ?? 0) / 32768;
  return out;
}

/** Floats -> Int16 (rounded, clipped). */
export function toInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round((x[i] ?? 0) * 32767)));
  return out;
}

/**
 * Best normalised cross-correlation of `needle` inside `hay` over lags 0..maxLag (hay index = lag + needle index).
 * Computed by FFT so long signals stay fast.
 */
export function bestAlignment(
  hay: Float32Array,
  needle: Float32Array,
  maxLag: number,
): { lag: number; score: number } {
  const n = nextPow2(hay.length + needle.length);
  const a = new Float64Array(n * 2);
  const b = new Float64Array(n * 2);
  for (let i = 0; i < hay.length; i++) a[2 * i] = hay[i] ?? 0;
  for (let i = 0; i < needle.length; i++) b[2 * i] = needle[i] ?? 0;
  fft(a, n, false);
  fft(b, n, false);
  // a * conj(b)
  for (let i = 0; i < n; i++) {
    const ar = a[2 * i] ?? 0;
    const ai = a[2 * i + 1] ?? 0;
    const br = b[2 * i] ?? 0;
    const bi = b[2 * i + 1] ?? 0;
    a[2 * i] = ar * br + ai * bi;
    a[2 * i + 1] = ai * br - ar * bi;
  }
  fft(a, n, true);
  // Sliding energy of hay under the needle.
  const prefix = new Float64Array(hay.length + 1);
  for (let i = 0; i < hay.length; i++) prefix[i + 1] = (prefix[i] ?? 0) + (hay[i] ?? 0) ** 2;
  let needleEnergy = 0;
  for (let i = 0; i < needle.length; i++) needleEnergy += (needle[i] ?? 0) ** 2;
  let best = { lag: 0, score: -Infinity };
  for (let lag = 0; lag <= Math.min(maxLag, hay.length - 1); lag++) {
    const end = Math.min(hay.length, lag + needle.length);
    const e = (prefix[end] ?? 0) - (prefix[lag] ?? 0);
    if (e <= 0) continue;
    const score = (a[2 * lag] ?? 0) / n / Math.sqrt(e * needleEnergy);
    if (score > best.score) best = { lag, score };
  }
  return best;
}

function nextPow2(v: number): number {
  let p = 1;
  while (p < v) p <<= 1;
  return p;
}

/** In-place radix-2 complex FFT on interleaved [re, im] (unnormalised inverse). */
function fft(data: Float64Array, n: number, inverse: boolean): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = data[2 * i] ?? 0;
      const ti = data[2 * i + 1] ?? 0;
      data[2 * i] = data[2 * j] ?? 0;
      data[2 * i + 1] = data[2 * j + 1] ?? 0;
      data[2 * j] = tr;
      data[2 * j + 1] = ti;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const u = i + k;
        const v = i + k + len / 2;
        const vr = (data[2 * v] ?? 0) * cr - (data[2 * v + 1] ?? 0) * ci;
        const vi = (data[2 * v] ?? 0) * ci + (data[2 * v + 1] ?? 0) * cr;
        const ur = data[2 * u] ?? 0;
        const ui = data[2 * u + 1] ?? 0;
        data[2 * u] = ur + vr;
        data[2 * u + 1] = ui + vi;
        data[2 * v] = ur - vr;
        data[2 * v + 1] = ui - vi;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
}

/**
 * Seeded noise below ~2 kHz, peak amplitude `amp`: any 20 ms of it occurs once, so a short stretch of a recording
 * says where in the signal it is. Band-limited, so it survives the sound server's resampling (white noise would not
 * correlate across a fractional-sample shift).
 */
export function noise(rate: number, seconds: number, amp = 0.3, seed = 1): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  let state = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    // xorshift32: integer arithmetic, so the sequence never falls into a short cycle.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = (state / 4294967296) * 2 - 1;
  }
  const a = 1 - Math.exp((-2 * Math.PI * 2000) / rate);
  for (let pass = 0; pass < 4; pass++) {
    let y = 0;
    for (let i = 0; i < out.length; i++) out[i] = y += a * ((out[i] ?? 0) - y);
  }
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  for (let i = 0; i < out.length; i++) out[i] = ((out[i] ?? 0) * amp) / peak;
  return out;
}

/**
 * How much of `reply` had been heard where the sound of `recording` stops (after index `from`): the reply position
 * of the last 20 ms of sound with no gap in it before the fade-out, plus what follows it, less any silent runs
 * (gaps) in between. Unlike timing from the reply's first sample, a dropout earlier in the recording (the rig's or the
 * player's) does not move it. `score` is how well that stretch matched the reply (1 = exactly).
 */
export function heardUntil(
  recording: Int16Array,
  reply: Int16Array,
  from: number,
  rate: number,
  threshold = 300,
): { samples: number; score: number } {
  let last = -1;
  for (let i = recording.length - 1; i >= from; i--)
    if (Math.abs(recording[i] ?? 0) > threshold) {
      last = i;
      break;
    }
  if (last < 0) return { samples: 0, score: 0 };
  const ms = (n: number): number => Math.round((n * rate) / 1000);
  const gaps = silentRuns(recording, from, last + 1, threshold, ms(1));
  // A 20 ms stretch before the fade-out with no gap in it; what follows it is counted, less its gaps.
  let end = last + 1 - ms(5);
  for (let i = gaps.length - 1; i >= 0; i--) {
    const [gapStart = 0, gapEnd = 0] = gaps[i] ?? [];
    if (gapStart < end && gapEnd > end - ms(20)) end = gapStart;
  }
  const start = end - ms(20);
  if (start < from) return { samples: 0, score: 0 };
  const { lag, score } = bestAlignment(toFloat(reply), toFloat(recording.subarray(start, end)), reply.length);
  const after = gaps.filter(([a = 0]) => a >= end).reduce((sum, [a = 0, b = 0]) => sum + b - a, 0);
  return { samples: lag + (last + 1 - start) - after, score };
}

/**
 * A continuous reply-like test signal: `seconds` of back-to-back 100 ms tones whose frequencies follow a fixed
 * pseudo-random sequence (so alignment is unambiguous), phase-continuous (no clicks), amplitude `amp`.
 */
export function toneSequence(rate: number, seconds: number, amp = 0.4): Float32Array {
  const n = Math.round(rate * seconds);
  const out = new Float32Array(n);
  let phase = 0;
  let seed = 12345;
  let freq = 500;
  const segment = Math.round(rate * 0.1);
  for (let i = 0; i < n; i++) {
    if (i % segment === 0) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      freq = 300 + (seed % 1500);
    }
    phase += (2 * Math.PI * freq) / rate;
    out[i] = amp * Math.sin(phase);
  }
  return out;
}

/** Runs of near-silence (|x| <= threshold) at least `minRun` samples long inside [from, to): gaps/dropouts. */
export function silentRuns(
  x: Int16Array,
  from: number,
  to: number,
  threshold: number,
  minRun: number,
): number[][] {
  const runs: number[][] = [];
  let start = -1;
  for (let i = Math.max(0, from); i < Math.min(to, x.length); i++) {
    const quiet = Math.abs(x[i] ?? 0) <= threshold;
    if (quiet && start < 0) start = i;
    if (!quiet && start >= 0) {
      if (i - start >= minRun) runs.push([start, i]);
      start = -1;
    }
  }
  if (start >= 0 && Math.min(to, x.length) - start >= minRun) runs.push([start, Math.min(to, x.length)]);
  return runs;
}
