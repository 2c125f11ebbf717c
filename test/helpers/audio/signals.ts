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
