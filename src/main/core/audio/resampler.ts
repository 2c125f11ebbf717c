/**
 * Streaming band-limited resampler: polyphase Kaiser-windowed sinc with exact rational rate ratios.
 * State (history and the fractional output position) carries across chunks, so splitting the input anywhere yields
 * the same output as one call, and no sample is dropped or duplicated. Output sample n sits at input time
 * n * inRate / outRate (no added delay on the timeline; the filter's look-ahead is only held back until flush()).
 */

/** Zero crossings of the sinc on each side; 16 gives > 80 dB stop-band with beta 8.6 at a few-percent transition. */
const ZERO_CROSSINGS = 16;
const KAISER_BETA = 8.6;
/** Pass band as a fraction of the lower Nyquist frequency (speech content ends well below). */
const CUTOFF = 0.9;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function (series), for the Kaiser window. */
function bessel0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/** Converts a mono float stream from one rate to another, chunk by chunk. */
export class StreamingResampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Output step per input (L) and input step per output (M), reduced. */
  private readonly up: number;
  private readonly down: number;
  private readonly half: number;
  private readonly taps: number;
  /** phases[p][k]: weight of input (base - half + 1 + k) for an output at base + p/up. */
  private readonly phases: Float32Array[];
  private history: Float32Array;
  /** Absolute input index of history[0]. */
  private historyStart: number;
  private inputCount = 0;
  private outputCount = 0;
  private flushed = false;

  constructor(inRate: number, outRate: number) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
      throw new RangeError(`Sample rates must be positive whole numbers (got ${inRate} -> ${outRate}).`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    // Cut-off in cycles per input sample: below the lower of the two Nyquist frequencies.
    const fc = 0.5 * Math.min(1, outRate / inRate) * CUTOFF;
    this.half = Math.ceil(ZERO_CROSSINGS / (2 * fc));
    this.taps = 2 * this.half;
    this.phases = [];
    const norm = bessel0(KAISER_BETA);
    for (let p = 0; p < this.up; p++) {
      const row = new Float32Array(this.taps);
      let sum = 0;
      for (let k = 0; k < this.taps; k++) {
        // Distance from the output instant to input sample (base - half + 1 + k).
        const x = -this.half + 1 + k - p / this.up;
        const sinc = x === 0 ? 1 : Math.sin(2 * Math.PI * fc * x) / (2 * Math.PI * fc * x);
        const r = x / (this.half + 1);
        const w = Math.abs(r) >= 1 ? 0 : bessel0(KAISER_BETA * Math.sqrt(1 - r * r)) / norm;
        row[k] = sinc * w;
        sum += row[k] ?? 0;
      }
      // Unity DC gain per phase, so a constant stays constant (no ripple at the phase rate).
      for (let k = 0; k < this.taps; k++) row[k] = (row[k] ?? 0) / sum;
      this.phases.push(row);
    }
    // Silence before the stream starts, so the first outputs have the history the filter needs.
    this.history = new Float32Array(this.half);
    this.historyStart = -this.half;
  }

  /** Input samples the filter looks ahead of the output instant (latency until flush, in input samples). */
  get lookahead(): number {
    return this.half;
  }

  /** Feeds input; returns every output sample that can be computed so far. */
  process(input: Float32Array): Float32Array {
    if (this.flushed) throw new Error('The resampler was flushed; make a new one for a new stream.');
    if (this.up === this.down) return input.slice();
    const merged = new Float32Array(this.history.length + input.length);
    merged.set(this.history, 0);
    merged.set(input, this.history.length);
    this.history = merged;
    this.inputCount += input.length;
    return this.produce(this.inputCount);
  }

  /** End of stream: pads with silence and returns the remaining outputs (ceil(totalIn * out / in) in all). */
  flush(): Float32Array {
    if (this.flushed) return new Float32Array(0);
    this.flushed = true;
    if (this.up === this.down) return new Float32Array(0);
    const pad = new Float32Array(this.half + 1);
    const merged = new Float32Array(this.history.length + pad.length);
    merged.set(this.history, 0);
    merged.set(pad, this.history.length);
    this.history = merged;
    return this.produce(this.inputCount, Math.ceil((this.inputCount * this.up) / this.down));
  }

  private produce(available: number, limit = Infinity): Float32Array {
    const out: number[] = [];
    const end = this.historyStart + this.history.length; // absolute index after the last held sample
    for (;;) {
      const n = this.outputCount;
      if (n >= limit) break;
      const pos = n * this.down;
      const base = Math.floor(pos / this.up);
      const phase = pos - base * this.up;
      const first = base - this.half + 1;
      const last = first + this.taps - 1;
      if (last >= end || (limit === Infinity && base >= available)) break;
      const row = this.phases[phase] as Float32Array;
      let acc = 0;
      const off = first - this.historyStart;
      for (let k = 0; k < this.taps; k++) acc += (this.history[off + k] ?? 0) * (row[k] ?? 0);
      out.push(acc);
      this.outputCount++;
    }
    // Keep only what future outputs can still need.
    const nextBase = Math.floor((this.outputCount * this.down) / this.up);
    const keepFrom = Math.max(this.historyStart, nextBase - this.half + 1);
    if (keepFrom > this.historyStart) {
      this.history = this.history.slice(keepFrom - this.historyStart);
      this.historyStart = keepFrom;
    }
    return Float32Array.from(out);
  }
}

/** One-shot resampling of a whole signal (tests, files). */
export function resample(input: Float32Array, inRate: number, outRate: number): Float32Array {
  const r = new StreamingResampler(inRate, outRate);
  const a = r.process(input);
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
