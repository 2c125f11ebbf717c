/**
 * The conversation as the server holds it, rebuilt from server events. Pure: no I/O, no clocks.
 * Every update returns a new state (unchanged events return the same object, so callers can compare
 * by reference). Audio bytes are never kept, only their counts.
 */
import { base64ByteLength, bytesPerMs } from './base64';
import type { RealtimeServerEvent } from './connection-types';
import type { HandledServerEvent } from './events';

/** One content part of an item, addressed by its `content_index`. */
export interface ContentPartState {
  index: number;
  /** input_text, input_audio, output_text, output_audio (or a legacy text/audio). */
  type: string;
  text: string;
  /** Audio transcript (assistant output, or the user's input audio once transcribed). */
  transcript: string;
  /** Audio received for this part (decoded bytes), and the milliseconds that makes. */
  audioBytes: number;
  audioMs: number;
  /** True after response.content_part.done. */
  done: boolean;
  /** Set by conversation.item.truncated: the server kept audio up to here and dropped the transcript. */
  truncatedAtMs?: number;
  /** The server could not transcribe the user's audio. */
  transcriptionError?: string;
}

/** One conversation item (message, function call, …). */
export interface ConversationItemState {
  id: string;
  /** message, function_call, function_call_output, … */
  type: string;
  role: string | null;
  status: string | null;
  /** The response that produced this item, for assistant output. */
  responseId: string | null;
  parts: readonly ContentPartState[];
  /** function_call items. */
  name?: string;
  callId?: string;
  arguments?: string;
  /** function_call_output items. */
  output?: string;
}

/** The session configuration last confirmed by the server (session.created / session.updated). */
export interface SessionConfigState {
  id: string | null;
  model: string | null;
  instructions: string | null;
  voice: string | null;
  outputModalities: readonly string[] | null;
  outputFormat: { type: string; rate?: number | null } | null;
  /** Seconds since epoch, as the server sent it. */
  expiresAt: number | null;
}

/** Token counts from the last response.done (the server's object, kept as sent). */
export type UsageState = Readonly<Record<string, unknown>>;

export interface RateLimitState {
  name: string | null;
  limit: number | null;
  remaining: number | null;
  resetSeconds: number | null;
}

export interface ResponseSummary {
  id: string;
  status: string | null;
  /** e.g. { type: 'failed', error: { type: 'server_error' } } */
  statusDetails: Readonly<Record<string, unknown>> | null;
}

export interface ServerErrorState {
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  /** The client event that caused it, when the server says so. */
  eventId: string | null;
}

/** Everything the reducer tracks. */
export interface ConversationState {
  items: readonly ConversationItemState[];
  /** From response.created to response.done: a new response.create must wait while this is set. */
  activeResponseId: string | null;
  /** The most recent response seen (created or done). */
  lastResponse: ResponseSummary | null;
  session: SessionConfigState | null;
  usage: UsageState | null;
  rateLimits: readonly RateLimitState[];
  lastError: ServerErrorState | null;
}

/** An empty conversation (also the state after a new session starts). */
export function initialConversation(): ConversationState {
  return {
    items: [],
    activeResponseId: null,
    lastResponse: null,
    session: null,
    usage: null,
    rateLimits: [],
    lastError: null,
  };
}

/**
 * Applies one server event. Events it does not track return `state` itself. `session.created` starts a
 * fresh conversation (a new session never inherits the old one's items).
 */
export function reduceConversation(state: ConversationState, event: RealtimeServerEvent): ConversationState {
  // parseServerEvent validated every field read below; this view types them as checked.
  const e = event as unknown as HandledServerEvent;
  switch (e.type) {
    case 'session.created':
      // A new session starts with an empty server-side conversation (there is no resume), so the
      // mirror starts over too. Read the old state first if you carry history across.
      return { ...initialConversation(), session: sessionConfig(e.session) };
    case 'session.updated':
      return { ...state, session: sessionConfig(e.session) };

    case 'conversation.item.added':
    case 'conversation.item.created':
    case 'conversation.item.done':
      return withItems(state, upsertItem(state.items, itemFromWire(e.item, state), e.previous_item_id));

    case 'conversation.item.deleted': {
      const items = state.items.filter((i) => i.id !== e.item_id);
      return items.length === state.items.length ? state : { ...state, items };
    }

    case 'conversation.item.truncated':
      return updatePart(state, e.item_id, e.content_index, UNSEEN, 'output_audio', (p) => ({
        ...p,
        transcript: '',
        truncatedAtMs: e.audio_end_ms,
      }));

    case 'conversation.item.input_audio_transcription.delta':
      return updatePart(state, e.item_id, e.content_index ?? 0, USER_AUDIO, 'input_audio', (p) => ({
        ...p,
        transcript: p.transcript + e.delta,
      }));
    case 'conversation.item.input_audio_transcription.completed':
      return updatePart(state, e.item_id, e.content_index, USER_AUDIO, 'input_audio', (p) => ({
        ...p,
        transcript: e.transcript,
        transcriptionError: undefined,
      }));
    case 'conversation.item.input_audio_transcription.failed':
      return updatePart(state, e.item_id, e.content_index ?? 0, USER_AUDIO, 'input_audio', (p) => ({
        ...p,
        transcriptionError: e.error?.message || 'The server could not transcribe the audio.',
      }));

    case 'input_audio_buffer.committed':
      // GA servers follow with conversation.item.added; placing the item now keeps the order right
      // even for servers that only send the transcript.
      if (state.items.some((i) => i.id === e.item_id)) return state;
      return withItems(
        state,
        upsertItem(state.items, { ...USER_AUDIO(e.item_id), status: null }, e.previous_item_id),
      );

    case 'response.created':
      return {
        ...state,
        activeResponseId: e.response.id,
        lastResponse: responseSummary(e.response),
      };
    case 'response.done': {
      let items = state.items;
      for (const out of e.response.output ?? []) {
        items = upsertItem(items, { ...itemFromWire(out, state), responseId: e.response.id }, undefined);
      }
      return {
        ...state,
        items,
        activeResponseId:
          state.activeResponseId === e.response.id || state.activeResponseId === null
            ? null
            : state.activeResponseId,
        lastResponse: responseSummary(e.response),
        usage: e.response.usage ? { ...e.response.usage } : state.usage,
      };
    }

    case 'response.output_item.added':
    case 'response.output_item.done':
      return withItems(
        state,
        upsertItem(state.items, { ...itemFromWire(e.item, state), responseId: e.response_id }, undefined),
      );

    case 'response.content_part.added':
    case 'response.content_part.done': {
      const done = e.type === 'response.content_part.done';
      return updatePart(state, e.item_id, e.content_index, assistant(e.response_id), e.part.type, (p) => ({
        ...p,
        type: e.part.type,
        text: e.part.text ?? p.text,
        transcript: e.part.transcript ?? p.transcript,
        done: p.done || done,
      }));
    }

    case 'response.output_text.delta':
      return updatePart(state, e.item_id, e.content_index, assistant(e.response_id), 'output_text', (p) => ({
        ...p,
        text: p.text + e.delta,
      }));
    case 'response.output_text.done':
      return updatePart(state, e.item_id, e.content_index, assistant(e.response_id), 'output_text', (p) => ({
        ...p,
        text: e.text,
      }));

    case 'response.output_audio.delta': {
      const bytes = base64ByteLength(e.delta);
      const perMs = bytesPerMs(state.session?.outputFormat);
      return updatePart(state, e.item_id, e.content_index, assistant(e.response_id), 'output_audio', (p) => ({
        ...p,
        audioBytes: p.audioBytes + bytes,
        audioMs: (p.audioBytes + bytes) / perMs,
      }));
    }

    case 'response.output_audio_transcript.delta':
      return updatePart(state, e.item_id, e.content_index, assistant(e.response_id), 'output_audio', (p) => ({
        ...p,
        transcript: p.transcript + e.delta,
      }));
    case 'response.output_audio_transcript.done':
      return updatePart(state, e.item_id, e.content_index, assistant(e.response_id), 'output_audio', (p) => ({
        ...p,
        transcript: e.transcript,
      }));

    case 'response.function_call_arguments.delta':
      return updateItem(state, e.item_id, functionCall(e.response_id, e.call_id), (i) => ({
        ...i,
        arguments: (i.arguments ?? '') + e.delta,
        callId: e.call_id ?? i.callId,
      }));
    case 'response.function_call_arguments.done':
      return updateItem(state, e.item_id, functionCall(e.response_id, e.call_id), (i) => ({
        ...i,
        arguments: e.arguments,
        name: e.name ?? i.name,
        callId: e.call_id ?? i.callId,
      }));

    case 'rate_limits.updated':
      return {
        ...state,
        rateLimits: e.rate_limits.map((r) => ({
          name: r.name ?? null,
          limit: r.limit ?? null,
          remaining: r.remaining ?? null,
          resetSeconds: r.reset_seconds ?? null,
        })),
      };

    case 'error':
      return {
        ...state,
        lastError: {
          type: e.error.type,
          code: e.error.code ?? null,
          message: e.error.message,
          param: e.error.param ?? null,
          eventId: e.error.event_id ?? null,
        },
      };

    default:
      return state;
  }
}

// ---- helpers ---------------------------------------------------------------------------------

type WireItem = Extract<HandledServerEvent, { type: 'conversation.item.added' }>['item'];
type WireSession = Extract<HandledServerEvent, { type: 'session.created' }>['session'];
type WireResponse = Extract<HandledServerEvent, { type: 'response.done' }>['response'];

/** Makes an item when an event refers to one we have not seen yet. */
type ItemSeed = (id: string) => ConversationItemState;

function emptyPart(index: number, type: string): ContentPartState {
  return { index, type, text: '', transcript: '', audioBytes: 0, audioMs: 0, done: false };
}

const USER_AUDIO: ItemSeed = (id) => ({
  id,
  type: 'message',
  role: 'user',
  status: null,
  responseId: null,
  parts: [emptyPart(0, 'input_audio')],
});

function assistant(responseId: string): ItemSeed {
  return (id) => ({ id, type: 'message', role: 'assistant', status: 'in_progress', responseId, parts: [] });
}

/** An item we never saw (e.g. truncated before we connected): recorded without guessing the role. */
const UNSEEN: ItemSeed = (id) => ({
  id,
  type: 'message',
  role: null,
  status: null,
  responseId: null,
  parts: [],
});

function functionCall(responseId: string, callId: string | null | undefined): ItemSeed {
  return (id) => ({
    id,
    type: 'function_call',
    role: null,
    status: 'in_progress',
    responseId,
    parts: [],
    ...(callId ? { callId } : {}),
  });
}

function withItems(state: ConversationState, items: readonly ConversationItemState[]): ConversationState {
  return items === state.items ? state : { ...state, items };
}

function itemFromWire(item: WireItem, state: ConversationState): ConversationItemState {
  const perMs = bytesPerMs(state.session?.outputFormat);
  const parts = (item.content ?? []).map((c, i): ContentPartState => {
    const bytes = typeof c.audio === 'string' ? base64ByteLength(c.audio) : 0;
    return {
      ...emptyPart(i, c.type),
      text: c.text ?? '',
      transcript: c.transcript ?? '',
      audioBytes: bytes,
      audioMs: bytes / perMs,
    };
  });
  return {
    id: item.id,
    type: item.type,
    role: item.role ?? null,
    status: item.status ?? null,
    responseId: null,
    parts,
    ...(item.name != null ? { name: item.name } : {}),
    ...(item.call_id != null ? { callId: item.call_id } : {}),
    ...(item.arguments != null ? { arguments: item.arguments } : {}),
    ...(item.output != null ? { output: item.output } : {}),
  };
}

/** Merges `incoming` into an existing item (server values win when present), or inserts it. */
function upsertItem(
  items: readonly ConversationItemState[],
  incoming: ConversationItemState,
  previousItemId: string | null | undefined,
): readonly ConversationItemState[] {
  const at = items.findIndex((i) => i.id === incoming.id);
  if (at >= 0) {
    const next = items.slice();
    next[at] = mergeItem(items[at]!, incoming);
    return next;
  }
  const item = incoming;
  const after = previousItemId ? items.findIndex((i) => i.id === previousItemId) : -1;
  // Unknown or null predecessor: append. A GA server only sends null for the first item, and
  // appending keeps a reconnect's history readable even if it does not.
  if (after < 0) return [...items, item];
  return [...items.slice(0, after + 1), item, ...items.slice(after + 1)];
}

function mergeItem(old: ConversationItemState, incoming: ConversationItemState): ConversationItemState {
  const parts = old.parts.slice();
  for (const p of incoming.parts) {
    const at = parts.findIndex((q) => q.index === p.index);
    if (at < 0) {
      parts.push(p);
      continue;
    }
    const q = parts[at]!;
    parts[at] = {
      ...q,
      type: p.type || q.type,
      // Item snapshots carry final text; streamed audio counts are only known locally.
      text: p.text || q.text,
      transcript: q.truncatedAtMs !== undefined ? q.transcript : p.transcript || q.transcript,
      audioBytes: p.audioBytes || q.audioBytes,
      audioMs: p.audioBytes ? p.audioMs : q.audioMs,
    };
  }
  parts.sort((a, b) => a.index - b.index);
  return {
    ...old,
    type: incoming.type || old.type,
    role: incoming.role ?? old.role,
    status: incoming.status ?? old.status,
    responseId: incoming.responseId ?? old.responseId,
    parts,
    ...(incoming.name !== undefined ? { name: incoming.name } : {}),
    ...(incoming.callId !== undefined ? { callId: incoming.callId } : {}),
    ...(incoming.arguments !== undefined ? { arguments: incoming.arguments } : {}),
    ...(incoming.output !== undefined ? { output: incoming.output } : {}),
  };
}

function updateItem(
  state: ConversationState,
  itemId: string,
  seed: ItemSeed,
  update: (item: ConversationItemState) => ConversationItemState,
): ConversationState {
  const at = state.items.findIndex((i) => i.id === itemId);
  if (at < 0) return { ...state, items: [...state.items, update(seed(itemId))] };
  const items = state.items.slice();
  items[at] = update(state.items[at]!);
  return { ...state, items };
}

function updatePart(
  state: ConversationState,
  itemId: string,
  contentIndex: number,
  seed: ItemSeed,
  partType: string,
  update: (part: ContentPartState) => ContentPartState,
): ConversationState {
  return updateItem(state, itemId, seed, (item) => {
    const parts = item.parts.slice();
    const at = parts.findIndex((p) => p.index === contentIndex);
    if (at >= 0) {
      parts[at] = update(parts[at]!);
    } else {
      parts.push(update(emptyPart(contentIndex, partType)));
      parts.sort((a, b) => a.index - b.index);
    }
    return { ...item, parts };
  });
}

function sessionConfig(s: WireSession): SessionConfigState {
  const voice = s.audio?.output?.voice ?? (s as { voice?: unknown }).voice;
  const format = s.audio?.output?.format;
  return {
    id: s.id ?? null,
    model: s.model ?? null,
    instructions: s.instructions ?? null,
    voice: voiceName(voice),
    outputModalities: s.output_modalities ? [...s.output_modalities] : null,
    outputFormat: format ? { type: format.type, rate: format.rate ?? null } : null,
    expiresAt: s.expires_at ?? null,
  };
}

/** GA voices are a name, or `{ id }` for a custom voice. */
function voiceName(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') {
    return (v as { id: string }).id;
  }
  return null;
}

function responseSummary(r: WireResponse): ResponseSummary {
  return {
    id: r.id,
    status: r.status ?? null,
    statusDetails: r.status_details ? { ...r.status_details } : null,
  };
}
