/**
 * Server-event parsing for the GA Realtime protocol.
 *
 * Schemas are loose on purpose: they require the fields this app reads and keep everything else, so a
 * server adding fields never breaks us. Events whose type is in the GA union but that the app does not
 * act on (MCP, DTMF, …) are accepted with a minimal schema. Anything else is "unknown": logged, not fatal.
 */
import { z } from 'zod';
import type { RealtimeServerEvent, UnknownServerEvent } from './connection-types';
import { errorMessage } from '../../../shared/error-message';

/**
 * Every server event type in the GA `RealtimeServerEvent` union.
 * Copied from /work/shared/realtime-spec/event-types.json (`ga_2026_08_21.server`), which lists the
 * union members of openai/openai-openapi openapi.yaml @ f85dbe22 (2026-08-21).
 */
export const GA_SERVER_EVENT_TYPES = [
  'conversation.created',
  'conversation.item.created',
  'conversation.item.deleted',
  'conversation.item.input_audio_transcription.completed',
  'conversation.item.input_audio_transcription.delta',
  'conversation.item.input_audio_transcription.failed',
  'conversation.item.retrieved',
  'conversation.item.truncated',
  'error',
  'input_audio_buffer.cleared',
  'input_audio_buffer.committed',
  'input_audio_buffer.dtmf_event_received',
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'rate_limits.updated',
  'response.output_audio.delta',
  'response.output_audio.done',
  'response.output_audio_transcript.delta',
  'response.output_audio_transcript.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.created',
  'response.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.output_item.added',
  'response.output_item.done',
  'response.output_text.delta',
  'response.output_text.done',
  'session.created',
  'session.updated',
  'output_audio_buffer.started',
  'output_audio_buffer.stopped',
  'output_audio_buffer.cleared',
  'conversation.item.added',
  'conversation.item.done',
  'input_audio_buffer.timeout_triggered',
  'conversation.item.input_audio_transcription.segment',
  'mcp_list_tools.in_progress',
  'mcp_list_tools.completed',
  'mcp_list_tools.failed',
  'response.mcp_call_arguments.delta',
  'response.mcp_call_arguments.done',
  'response.mcp_call.in_progress',
  'response.mcp_call.completed',
  'response.mcp_call.failed',
] as const;

/** A GA server event type name. */
export type GaServerEventType = (typeof GA_SERVER_EVENT_TYPES)[number];

const GA_TYPES: ReadonlySet<string> = new Set(GA_SERVER_EVENT_TYPES);

// ---- building blocks -------------------------------------------------------------------------

const index = z.number().int().nonnegative();
const optText = z.string().nullish();

/** One content part of an item (input_text, input_audio, output_text, output_audio, legacy text/audio). */
const ContentPart = z.looseObject({
  type: z.string(),
  text: optText,
  transcript: optText,
  /** base64 audio, when a server includes it (e.g. conversation.item.retrieved). */
  audio: optText,
});

/** A conversation item: message, function_call, function_call_output, or anything newer. */
const Item = z.looseObject({
  id: z.string().min(1),
  type: z.string(),
  role: z.string().nullish(),
  status: z.string().nullish(),
  content: z.array(ContentPart).nullish(),
  name: z.string().nullish(),
  call_id: z.string().nullish(),
  arguments: z.string().nullish(),
  output: z.string().nullish(),
});

const AudioFormat = z.looseObject({ type: z.string(), rate: z.number().nullish() });

const Session = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  instructions: z.string().nullish(),
  output_modalities: z.array(z.string()).nullish(),
  expires_at: z.number().nullish(),
  audio: z
    .looseObject({
      input: z.looseObject({ format: AudioFormat.nullish() }).nullish(),
      output: z.looseObject({ voice: z.unknown().optional(), format: AudioFormat.nullish() }).nullish(),
    })
    .nullish(),
});

const Usage = z.looseObject({
  total_tokens: z.number().nullish(),
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
});

const Response = z.looseObject({
  id: z.string().min(1),
  status: z.string().nullish(),
  status_details: z
    .looseObject({
      type: z.string().nullish(),
      reason: z.string().nullish(),
      error: z.looseObject({ type: z.string().nullish(), code: z.string().nullish() }).nullish(),
    })
    .nullish(),
  output: z.array(Item).nullish(),
  output_modalities: z.array(z.string()).nullish(),
  usage: Usage.nullish(),
});

const ErrorDetail = z.looseObject({
  // Defaults instead of failures: an error the server sends with a missing field is still an error
  // the user must see, never a "malformed frame" that gets skipped.
  type: z.string().catch('error'),
  message: z.string().catch('The server reported an error without a message.'),
  code: z.string().nullish().catch(null),
  param: z.string().nullish().catch(null),
  event_id: z.string().nullish().catch(null),
});

const RateLimit = z.looseObject({
  name: z.string().nullish(),
  limit: z.number().nullish(),
  remaining: z.number().nullish(),
  reset_seconds: z.number().nullish(),
});

/** A loose event schema whose `type` is the literal given (so the inferred union narrows on it). */
function ev<L extends string, T extends z.core.$ZodLooseShape>(type: L, shape: T) {
  return z.looseObject({ type: z.literal(type), event_id: z.string().nullish(), ...shape });
}

const itemRef = { item_id: z.string().min(1), content_index: index };
const responsePart = {
  response_id: z.string().min(1),
  item_id: z.string().min(1),
  output_index: index.nullish(),
  content_index: index,
};

// ---- the events the app acts on --------------------------------------------------------------

const HANDLED = {
  'session.created': ev('session.created', { session: Session }),
  'session.updated': ev('session.updated', { session: Session }),
  'conversation.item.added': ev('conversation.item.added', { item: Item, previous_item_id: optText }),
  'conversation.item.done': ev('conversation.item.done', { item: Item, previous_item_id: optText }),
  'conversation.item.created': ev('conversation.item.created', { item: Item, previous_item_id: optText }),
  'conversation.item.deleted': ev('conversation.item.deleted', { item_id: z.string().min(1) }),
  'conversation.item.truncated': ev('conversation.item.truncated', {
    ...itemRef,
    audio_end_ms: z.number().nonnegative(),
  }),
  'conversation.item.input_audio_transcription.completed': ev(
    'conversation.item.input_audio_transcription.completed',
    { ...itemRef, transcript: z.string() },
  ),
  'conversation.item.input_audio_transcription.delta': ev(
    'conversation.item.input_audio_transcription.delta',
    { item_id: z.string().min(1), content_index: index.nullish(), delta: z.string() },
  ),
  'conversation.item.input_audio_transcription.failed': ev(
    'conversation.item.input_audio_transcription.failed',
    {
      item_id: z.string().min(1),
      content_index: index.nullish(),
      error: z.looseObject({ message: z.string().nullish(), code: z.string().nullish() }).nullish(),
    },
  ),
  'input_audio_buffer.committed': ev('input_audio_buffer.committed', {
    item_id: z.string().min(1),
    previous_item_id: optText,
  }),
  'input_audio_buffer.cleared': ev('input_audio_buffer.cleared', {}),
  'input_audio_buffer.speech_started': ev('input_audio_buffer.speech_started', {
    item_id: z.string().nullish(),
    audio_start_ms: z.number().nullish(),
  }),
  'input_audio_buffer.speech_stopped': ev('input_audio_buffer.speech_stopped', {
    item_id: z.string().nullish(),
    audio_end_ms: z.number().nullish(),
  }),
  'response.created': ev('response.created', { response: Response }),
  'response.done': ev('response.done', { response: Response }),
  'response.output_item.added': ev('response.output_item.added', {
    response_id: z.string().min(1),
    output_index: index.nullish(),
    item: Item,
  }),
  'response.output_item.done': ev('response.output_item.done', {
    response_id: z.string().min(1),
    output_index: index.nullish(),
    item: Item,
  }),
  'response.content_part.added': ev('response.content_part.added', { ...responsePart, part: ContentPart }),
  'response.content_part.done': ev('response.content_part.done', { ...responsePart, part: ContentPart }),
  'response.output_text.delta': ev('response.output_text.delta', { ...responsePart, delta: z.string() }),
  'response.output_text.done': ev('response.output_text.done', { ...responsePart, text: z.string() }),
  'response.output_audio.delta': ev('response.output_audio.delta', { ...responsePart, delta: z.string() }),
  'response.output_audio.done': ev('response.output_audio.done', { ...responsePart }),
  'response.output_audio_transcript.delta': ev('response.output_audio_transcript.delta', {
    ...responsePart,
    delta: z.string(),
  }),
  'response.output_audio_transcript.done': ev('response.output_audio_transcript.done', {
    ...responsePart,
    transcript: z.string(),
  }),
  'response.function_call_arguments.delta': ev('response.function_call_arguments.delta', {
    response_id: z.string().min(1),
    item_id: z.string().min(1),
    call_id: z.string().nullish(),
    delta: z.string(),
  }),
  'response.function_call_arguments.done': ev('response.function_call_arguments.done', {
    response_id: z.string().min(1),
    item_id: z.string().min(1),
    call_id: z.string().nullish(),
    name: z.string().nullish(),
    arguments: z.string(),
  }),
  'rate_limits.updated': ev('rate_limits.updated', { rate_limits: z.array(RateLimit) }),
  error: ev('error', { error: ErrorDetail }),
  'output_audio_buffer.started': ev('output_audio_buffer.started', { response_id: z.string().nullish() }),
  'output_audio_buffer.stopped': ev('output_audio_buffer.stopped', { response_id: z.string().nullish() }),
  'output_audio_buffer.cleared': ev('output_audio_buffer.cleared', { response_id: z.string().nullish() }),
} as const;

/**
 * A validated event of a type the app acts on, typed from its schema (the fields listed are checked;
 * others are kept but typed `unknown`). Narrow on `type`.
 */
export type HandledServerEvent = {
  [K in keyof typeof HANDLED]: z.infer<(typeof HANDLED)[K]>;
}[keyof typeof HANDLED];

/** The event types the app acts on (the rest of the GA union is accepted but unused). */
export const HANDLED_SERVER_EVENT_TYPES: readonly string[] = Object.keys(HANDLED);

const SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  // Known-but-unused GA types: only the type is checked, everything else is kept.
  ...GA_SERVER_EVENT_TYPES.map((t): [string, z.ZodType] => [t, ev(t, {})]),
  ...Object.entries(HANDLED),
]);

/** True for any type in the GA server union. */
export function isKnownServerEventType(type: string): type is GaServerEventType {
  return GA_TYPES.has(type);
}

/** The outcome of parsing one frame. */
export type ParsedServerEvent =
  | { kind: 'event'; event: RealtimeServerEvent }
  | { kind: 'unknown'; event: UnknownServerEvent }
  | { kind: 'malformed'; problem: string };

/**
 * Parses one text frame. Never throws: bad JSON or a known type with missing/mistyped fields →
 * `malformed` with a plain-words problem; a well-formed event of a type outside the GA union →
 * `unknown`.
 */
export function parseServerEvent(raw: string): ParsedServerEvent {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { kind: 'malformed', problem: `Not valid JSON (${shortMessage(error)})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { kind: 'malformed', problem: 'Not a JSON object: every server event is an object with a "type"' };
  }
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || type.length === 0) {
    return { kind: 'malformed', problem: 'The event has no "type" field' };
  }
  const schema = SCHEMAS.get(type);
  if (!schema) return { kind: 'unknown', event: data as UnknownServerEvent };

  // Interpreted, not compiled: zod compiles a parser per schema on first use (new Function), and the first reply's
  // burst of new event types stalled the thread that plays it by up to ~30 ms. It costs ~5 µs more per event.
  const result = schema.safeParse(data, { jitless: true });
  if (!result.success) return { kind: 'malformed', problem: `${type}: ${describeIssues(result.error)}` };
  // The schema checked every field this app reads; the SDK type describes the rest of the shape.
  return { kind: 'event', event: result.data as RealtimeServerEvent };
}

function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(event)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return parts.join('; ') + more;
}

function shortMessage(error: unknown): string {
  const message = errorMessage(error);
  return message.length > 120 ? `${message.slice(0, 117)}...` : message;
}
