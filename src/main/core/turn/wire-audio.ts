/**
 * Converts between the engine's PCM16 24 kHz and the session's wire format (FIELD-REPORTS row 10):
 * audio/pcm passes through; G.711 (audio/pcmu, audio/pcma) is 8 kHz, so it is resampled with the
 * streaming windowed-sinc resampler (state carried across chunks, no clicks at chunk edges) and companded.
 */
import { WIRE_RATE } from '../audio/engine';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from '../audio/g711';
import { float32ToPcm16, int16ToPcm16, pcm16ToFloat32, pcm16ToInt16 } from '../audio/pcm';
import { StreamingResampler } from '../audio/resampler';
import type { AudioFormat } from './types';

const G711_RATE = 8000;

/** One direction of one stream: feed chunks, then flush() at the end for the resampler's tail. */
export interface WireStream {
  push(chunk: Buffer): Buffer;
  flush(): Buffer;
}

const passthrough: WireStream = { push: (chunk) => chunk, flush: () => Buffer.alloc(0) };

/** Engine PCM16 24 kHz → wire bytes (for input_audio_buffer.append). */
export function wireEncoder(format: AudioFormat): WireStream {
  if (format === 'audio/pcm') return passthrough;
  const resampler = new StreamingResampler(WIRE_RATE, G711_RATE);
  const encode = format === 'audio/pcmu' ? encodeUlaw : encodeAlaw;
  const compand = (samples: Float32Array): Buffer => {
    return encode(pcm16ToInt16(float32ToPcm16(samples)));
  };
  return {
    push: (chunk) => compand(resampler.process(pcm16ToFloat32(chunk))),
    flush: () => compand(resampler.flush()),
  };
}

/** Wire bytes (response.output_audio.delta) → engine PCM16 24 kHz. */
export function wireDecoder(format: AudioFormat): WireStream {
  if (format === 'audio/pcm') return passthrough;
  const resampler = new StreamingResampler(G711_RATE, WIRE_RATE);
  const decode = format === 'audio/pcmu' ? decodeUlaw : decodeAlaw;
  const toFloat = (bytes: Buffer): Float32Array => {
    return pcm16ToFloat32(int16ToPcm16(decode(bytes)));
  };
  return {
    push: (chunk) => float32ToPcm16(resampler.process(toFloat(chunk))),
    flush: () => float32ToPcm16(resampler.flush()),
  };
}
