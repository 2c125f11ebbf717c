/**
 * The simulator's GA session object and `session.update` merging. Shapes follow RealtimeSessionCreateResponseGA;
 * fields the spec types without `null` are left out rather than sent as `null`, so the strict validator accepts
 * every session event.
 */

/** The persona a server starts with when the client sets no instructions (visible in `session.created`). */
export const DEFAULT_INSTRUCTIONS = 'You are a helpful, witty assistant.';

/** Session fields the simulator reads; everything else is carried through as sent. */
export interface SimSession {
  type: 'realtime';
  object: 'realtime.session';
  id: string;
  model: string;
  expires_at: number;
  output_modalities: string[];
  instructions: string;
  audio: {
    input: { transcription?: unknown; turn_detection: unknown; [key: string]: unknown };
    output: { voice: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** A fresh session as the GA server reports it in `session.created`. */
export function defaultSession(options: {
  id: string;
  model: string;
  voice: string;
  instructions: string;
  nowMs: number;
}): SimSession {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: options.id,
    model: options.model,
    output_modalities: ['audio'],
    instructions: options.instructions,
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    expires_at: Math.floor(options.nowMs / 1000) + 3600,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        turn_detection: {
          type: 'server_vad',
          threshold: 0.5,
          prefix_padding_ms: 300,
          silence_duration_ms: 200,
          idle_timeout_ms: null,
          create_response: true,
          interrupt_response: true,
        },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: options.voice, speed: 1 },
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Applies a `session.update` payload: only the fields present change; nested objects (`audio.input`, …) merge;
 * `null` clears (e.g. `turn_detection: null`); arrays replace. A cleared `transcription` is removed.
 */
export function mergeSession(current: SimSession, update: Record<string, unknown>): SimSession {
  const merge = (base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      const prev = out[key];
      if (isObject(value) && isObject(prev) && key !== 'format') out[key] = merge(prev, value);
      else out[key] = value;
    }
    return out;
  };
  const { type: _type, model: _model, ...rest } = update;
  const next = merge(current, rest) as SimSession;
  // Spec types these as objects only; the GA server reports a cleared one as absent.
  if (next.audio.input.transcription === null) delete next.audio.input.transcription;
  if (next.audio.input.noise_reduction === null) delete next.audio.input.noise_reduction;
  return next;
}
