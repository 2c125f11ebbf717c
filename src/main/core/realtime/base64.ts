/** Size arithmetic for base64 audio, without decoding it (deltas arrive ~50 times a second). */

/** Decoded byte length of a base64 string (ignores whitespace; tolerates missing padding). */
export function base64ByteLength(b64: string): number {
  let len = b64.length;
  // Fast path: the wire never contains whitespace, so only scan when the cheap check fails.
  if (/\s/.test(b64)) len = b64.replace(/\s+/g, '').length;
  let padding = 0;
  if (b64.endsWith('==')) padding = 2;
  else if (b64.endsWith('=')) padding = 1;
  return Math.max(0, Math.floor((len * 3) / 4) - padding);
}

/** Bytes per millisecond of a wire format: PCM16 mono at `rate` Hz, or G.711 (1 byte/sample, 8 kHz). */
export function bytesPerMs(format: { type: string; rate?: number | null } | null | undefined): number {
  if (format && (format.type === 'audio/pcmu' || format.type === 'audio/pcma')) return 8;
  const rate = format?.rate && format.rate > 0 ? format.rate : 24000;
  return (rate * 2) / 1000;
}
