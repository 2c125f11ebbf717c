/**
 * The simulator's reply audio: a deterministic, speech-band test signal whose length follows the reply text, so
 * audio tests can find it in a recording and check nothing was cut off. PCM16 mono at 24 kHz, like the GA socket.
 */

/** Sample rate of the Realtime socket's `audio/pcm` format. */
export const SAMPLE_RATE = 24000;
/** One tone burst per word: this long… */
export const TONE_MS = 150;
/** …then this much silence. */
export const GAP_MS = 30;
/** Raised-cosine fade at each end of a burst, so the signal has no clicks. */
export const EDGE_MS = 10;
/** Peak amplitude of a burst (about -10 dBFS). */
export const TONE_AMPLITUDE = 0.3;

/** Where one word's burst sits in the reply audio. */
export interface WordSpan {
  word: string;
  /** First sample of the burst. */
  startSample: number;
  /** Burst frequency in Hz (300–1200, distinct for neighbouring words). */
  frequency: number;
}

const samplesPer = (ms: number): number => Math.round((ms * SAMPLE_RATE) / 1000);

/** Burst frequency of the n-th word: steps of 100 Hz through 300–1200 Hz, a different one for every 10 words. */
export function wordFrequency(index: number): number {
  return 300 + ((index * 3) % 10) * 100;
}

/** Splits reply text into the words that get one burst each. */
export function replyWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** The burst layout of {@link replyAudio} for `text`. */
export function replyAudioLayout(text: string): WordSpan[] {
  const step = samplesPer(TONE_MS + GAP_MS);
  return replyWords(text).map((word, i) => ({ word, startSample: i * step, frequency: wordFrequency(i) }));
}

/**
 * The reply signal for `text`: per word a 150 ms sine burst (10 ms raised-cosine edges) and 30 ms of silence.
 * Length = words × 180 ms. Deterministic: the same text always gives the same samples.
 */
export function replyAudio(text: string): Int16Array {
  const layout = replyAudioLayout(text);
  const tone = samplesPer(TONE_MS);
  const edge = samplesPer(EDGE_MS);
  const out = new Int16Array(layout.length * samplesPer(TONE_MS + GAP_MS));
  for (const span of layout) {
    const w = (2 * Math.PI * span.frequency) / SAMPLE_RATE;
    for (let i = 0; i < tone; i++) {
      let gain = 1;
      if (i < edge) gain = 0.5 - 0.5 * Math.cos((Math.PI * i) / edge);
      else if (i >= tone - edge) gain = 0.5 - 0.5 * Math.cos((Math.PI * (tone - 1 - i)) / edge);
      out[span.startSample + i] = Math.round(Math.sin(w * i) * gain * TONE_AMPLITUDE * 32767);
    }
  }
  return out;
}

/** Milliseconds of PCM16 mono 24 kHz audio in `bytes` bytes. */
export function pcmBytesToMs(bytes: number): number {
  return (bytes / 2 / SAMPLE_RATE) * 1000;
}

/** Little-endian PCM16 bytes of `samples`, base64-encoded for an audio delta. */
export function samplesToBase64(samples: Int16Array): string {
  const bytes = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i] ?? 0, i * 2);
  return bytes.toString('base64');
}

/** Decodes an audio delta back to samples (for tests and tools). */
export function base64ToSamples(data: string): Int16Array {
  const bytes = Buffer.from(data, 'base64');
  const out = new Int16Array(Math.floor(bytes.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/**
 * Strict base64 check: Node's decoder silently skips junk, but the real server rejects it, so must we.
 */
export function isStrictBase64(data: string): boolean {
  return data.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(data);
}
