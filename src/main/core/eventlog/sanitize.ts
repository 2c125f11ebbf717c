/**
 * Makes an event safe to keep and show: a deep copy with audio payloads replaced by their size and
 * anything key-like removed. The log is exported by users and pasted into bug reports, so the API
 * key must never be in it, whatever an event happens to carry.
 */
import { base64ByteLength } from '../realtime/base64';

/** Field names whose value is base64 audio in GA events (input_audio_buffer.append, content parts). */
const AUDIO_KEYS = new Set(['audio', 'audio_data', 'audio_base64']);
/** Event types whose `delta` is base64 audio (GA name, plus the beta name for replayed traces). */
const AUDIO_DELTA_TYPES = new Set(['response.output_audio.delta', 'response.audio.delta']);
/** Field names that carry credentials. (Not "tokens": usage counts such as input_tokens are fine.) */
const SECRET_KEYS =
  /^(authorization|proxy-authorization|api[-_]?key|x-api-key|openai[-_]api[-_]key|password|passwd|secret|client[-_]secret|access[-_]token|refresh[-_]token|id[-_]token|bearer|cookie|set-cookie)$/i;
const HEADER_KEYS = /^(headers|request_headers|requestheaders)$/i;
/**
 * OpenAI keys (sk-…, sk-proj-…), ephemeral client secrets (ek_…), Bearer credentials and key-like
 * URL query parameters. A capture group, when present, is kept and only what follows is redacted.
 */
const KEY_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{12,}/g,
  /\bek_[A-Za-z0-9_-]{12,}/g,
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /([?&](?:api[-_]?key|key|access[-_]token|token|client[-_]secret)=)[^&#\s"']+/gi,
];
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A base64 data: URL (images sent as input_image), with its media type captured. */
const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,/i;
/** Long pure-base64 strings outside audio fields (images, unknown blobs) are elided too. */
const LONG_BASE64_CHARS = 1024;
const MAX_DEPTH = 32;

export const REDACTED = '<redacted>';

/** Replaces key-looking substrings (and any of `secrets`) in a string. */
export function scrubString(value: string, secrets: readonly string[] = []): string {
  let out = value;
  for (const secret of secrets) {
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) {
    pattern.lastIndex = 0;
    if (pattern.test(out)) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, (_m, kept?: unknown) => (typeof kept === 'string' ? kept : '') + REDACTED);
    }
  }
  return out;
}

/**
 * `{ type: 'input_audio_buffer.append', audio }` and nothing else: what a held key sends 50 times a second. Its
 * copy is known without the walk below (the type is a fixed string, the audio becomes its size).
 */
function isPlainAppend(event: unknown): event is { type: string; audio: string } {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as { type?: unknown; audio?: unknown };
  return (
    e.type === 'input_audio_buffer.append' && typeof e.audio === 'string' && Object.keys(event).length === 2
  );
}

function audioMarker(b64: string): string {
  return `<audio ${base64ByteLength(b64)} bytes>`;
}

/**
 * A JSON-safe deep copy of `event` with audio elided and secrets removed. Cycles, functions and
 * binary buffers become short markers; nothing here throws.
 */
export function sanitizeEvent(event: unknown, secrets: readonly string[] = []): unknown {
  if (isPlainAppend(event)) return { type: event.type, audio: audioMarker(event.audio) };
  const seen = new WeakSet<object>();
  const topType =
    event && typeof event === 'object' && typeof (event as { type?: unknown }).type === 'string'
      ? (event as { type: string }).type
      : '';

  const visit = (value: unknown, key: string | null, depth: number): unknown => {
    if (typeof value === 'string') {
      if (
        key !== null &&
        (AUDIO_KEYS.has(key) || (key === 'delta' && depth === 1 && AUDIO_DELTA_TYPES.has(topType)))
      ) {
        return audioMarker(value);
      }
      if (value.length >= LONG_BASE64_CHARS && BASE64.test(value)) {
        return `<base64 ${base64ByteLength(value)} bytes>`;
      }
      // An attached image (input_image's image_url): the log says what it was, not its bytes.
      const dataUrl = DATA_URL.exec(value);
      if (dataUrl) return `<${dataUrl[1]} ${base64ByteLength(value.slice(dataUrl[0].length))} bytes>`;
      if (key !== null && SECRET_KEYS.test(key) && value.length > 0) return REDACTED;
      return scrubString(value, secrets);
    }
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') {
      return undefined;
    }
    // Objects from here on.
    if (ArrayBuffer.isView(value)) return `<binary ${value.byteLength} bytes>`;
    if (value instanceof ArrayBuffer) return `<binary ${value.byteLength} bytes>`;
    if (value instanceof Date) return value.toISOString();
    if (seen.has(value)) return '<cycle>';
    if (depth >= MAX_DEPTH) return '<too deep>';
    if (key !== null && HEADER_KEYS.test(key)) return '<headers redacted>';
    seen.add(value);
    try {
      if (Array.isArray(value)) {
        // A list element has no name of its own; it inherits the audio-ness of its field.
        return value.map((v) => {
          const out = visit(v, AUDIO_KEYS.has(key ?? '') ? key : null, depth + 1);
          return out === undefined ? null : out;
        });
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (SECRET_KEYS.test(k) && v !== null && v !== undefined && v !== '') {
          out[k] = REDACTED;
          continue;
        }
        const copied = visit(v, k, depth + 1);
        if (copied !== undefined) out[k] = copied;
      }
      return out;
    } finally {
      seen.delete(value);
    }
  };

  return visit(event, null, 0);
}
