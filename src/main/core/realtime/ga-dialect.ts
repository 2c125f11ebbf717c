/**
 * The one seam between the turn machine and the GA Realtime protocol: the machine's wire intents become
 * exact GA client events here, and GA server events become the machine's inputs. The wire rules live in
 * this file and nowhere else: never `instructions: ""` (FIELD-REPORTS row 1), `output_modalities` on every
 * response.create (rows 4/5), integer truncate points (row 8), item references for Retry (row 17).
 */
import { base64ByteLength, bytesPerMs } from './base64';
import type { RealtimeClientEvent, RealtimeServerEvent } from './connection-types';
import type { ImageDetail } from '../../../shared/settings';
import type { ImageRef } from '../../../shared/types';
import type {
  AudioFormat,
  ResponseStatusDetails,
  ServerInput,
  SessionConfig,
  WireIntent,
} from '../turn/types';

type Of<T extends RealtimeClientEvent['type']> = Extract<RealtimeClientEvent, { type: T }>;

/** The GA audio format object for a wire format: PCM16 at 24 kHz, or G.711 (8 kHz implied). */
export function formatObject(
  format: AudioFormat,
): { type: 'audio/pcm'; rate: 24000 } | { type: 'audio/pcmu' } | { type: 'audio/pcma' } {
  if (format === 'audio/pcm') return { type: 'audio/pcm', rate: 24000 };
  return { type: format };
}

/** What encoding needs to know about the session besides the intent itself. */
export interface EncodeContext {
  /** Item ids of the server's conversation in this session, oldest first (for Retry's context). */
  sessionItems: readonly string[];
  /** An attached image as a data: URL, or null when its file is gone. */
  imageUrl?: (image: ImageRef) => string | null;
  /** The `detail` sent with every image (Settings; default auto). */
  imageDetail?: ImageDetail;
}

/** What a user message says in place of an image whose file is gone (so the text around it still makes sense). */
export const MISSING_IMAGE_TEXT = '(an image was attached here, but its file is no longer available)';

/** The GA client event(s) for one wire intent. */
export function encode(intent: WireIntent, ctx: EncodeContext): RealtimeClientEvent {
  switch (intent.kind) {
    case 'updateSession':
      return sessionUpdate(intent.config);
    case 'clearInput':
      return { type: 'input_audio_buffer.clear' };
    case 'commitInput':
      return { type: 'input_audio_buffer.commit', event_id: intent.eventId };
    case 'createMessage':
      return intent.role === 'user'
        ? userMessage(intent.itemId, intent.text, intent.images ?? [], ctx)
        : message(intent.itemId, intent.role, intent.text);
    case 'requestResponse': {
      const response: NonNullable<Of<'response.create'>['response']> = {
        output_modalities: intent.replyAs === 'voice' ? ['audio'] : ['text'],
      };
      if (intent.instructions) response.instructions = intent.instructions;
      const upTo = intent.upToItemId ? ctx.sessionItems.indexOf(intent.upToItemId) : -1;
      // The conversation up to the turn's own message, so a Retry never answers a later one (row 17).
      if (upTo >= 0) {
        const refs = ctx.sessionItems.slice(0, upTo + 1).map((id) => ({ type: 'item_reference', id }));
        // The SDK's item union lacks the GA `item_reference`; the event is checked against the GA schema in tests.
        response.input = refs as unknown as NonNullable<typeof response.input>;
      }
      return { type: 'response.create', event_id: intent.eventId, response };
    }
    case 'cancelResponse':
      return { type: 'response.cancel', response_id: intent.responseId };
    case 'toolOutput':
      return {
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: intent.callId, output: intent.output },
      };
    case 'mcpApproval':
      return {
        type: 'conversation.item.create',
        // The SDK's item union may lack this GA item; the event is checked against the GA schema in tests.
        item: {
          type: 'mcp_approval_response',
          approval_request_id: intent.approvalRequestId,
          approve: intent.approve,
        } as unknown as Of<'conversation.item.create'>['item'],
      };
    case 'truncate':
      return {
        type: 'conversation.item.truncate',
        item_id: intent.itemId,
        content_index: intent.contentIndex,
        audio_end_ms: Math.max(0, Math.floor(intent.audioEndMs)),
      };
    case 'deleteItem':
      return { type: 'conversation.item.delete', item_id: intent.itemId };
  }
}

/** input_audio_buffer.append for encoded audio bytes. */
export function appendEvent(bytes: Buffer): Of<'input_audio_buffer.append'> {
  return { type: 'input_audio_buffer.append', audio: bytes.toString('base64') };
}

/** Push-to-talk session: no server VAD, our formats and voice; instructions only when the user set some. */
function sessionUpdate(config: SessionConfig): Of<'session.update'> {
  const input: Record<string, unknown> = { format: formatObject(config.audioFormat), turn_detection: null };
  if (config.transcriptionModel)
    input.transcription = {
      model: config.transcriptionModel,
      ...(config.transcriptionLanguage ? { language: config.transcriptionLanguage } : {}),
    };
  if (config.noiseReduction) input.noise_reduction = { type: config.noiseReduction };
  const session: Of<'session.update'>['session'] = {
    type: 'realtime',
    audio: {
      // The SDK's input type is a wide union; this literal is checked against the GA schema in tests.
      input: input as NonNullable<NonNullable<Of<'session.update'>['session']['audio']>>['input'],
      output: { format: formatObject(config.audioFormat), voice: config.voice },
    },
  };
  if (config.instructions.trim()) session.instructions = config.instructions;
  // Off: nothing at the start of a session (the server's "auto"); "auto" again when it was on and is turned off.
  if (config.truncationRetention)
    session.truncation = { type: 'retention_ratio', retention_ratio: config.truncationRetention };
  else if (config.resetTruncation) session.truncation = 'auto';
  const remote = (config.remoteMcp ?? []).map((m) => {
    const tool: Record<string, unknown> = {
      type: 'mcp',
      server_label: m.serverLabel,
      server_url: m.serverUrl,
      require_approval: m.requireApproval,
    };
    if (m.headers && Object.keys(m.headers).length > 0) tool.headers = m.headers;
    if (m.authorization) tool.authorization = m.authorization;
    if (m.allowedTools && m.allowedTools.length > 0) tool.allowed_tools = m.allowedTools;
    return tool;
  });
  if (config.tools.length > 0 || remote.length > 0) {
    const functions = config.tools.map((t) => ({
      type: 'function' as const,
      name: t.name,
      description: t.description,
      parameters: t.parameters,
    }));
    // The SDK's tool union may lack the GA `mcp` tool; the event is checked against the GA schema in tests.
    session.tools = [...functions, ...remote] as unknown as NonNullable<typeof session.tools>;
    session.tool_choice = 'auto';
  } else if (config.clearTools) session.tools = [];
  return { type: 'session.update', session };
}

/**
 * A user message: its images first, in the order shown (input_image with a data: URL and the detail setting),
 * then its text when it has any (a voice turn's images go alone, just before its audio is committed).
 */
function userMessage(
  itemId: string,
  text: string,
  images: readonly ImageRef[],
  ctx: EncodeContext,
): Of<'conversation.item.create'> {
  if (images.length === 0) return message(itemId, 'user', text);
  type Part =
    { type: 'input_image'; image_url: string; detail: ImageDetail } | { type: 'input_text'; text: string };
  const content: Part[] = [];
  const missing: string[] = [];
  for (const image of images) {
    const url = ctx.imageUrl?.(image) ?? null;
    if (url) content.push({ type: 'input_image', image_url: url, detail: ctx.imageDetail ?? 'auto' });
    else missing.push(MISSING_IMAGE_TEXT);
  }
  const words = [...missing, text].filter((t) => t.trim() !== '').join('\n');
  if (words) content.push({ type: 'input_text', text: words });
  return {
    type: 'conversation.item.create',
    // The SDK's content union is checked against the GA schema in tests (input_image with image_url + detail).
    item: {
      id: itemId,
      type: 'message',
      role: 'user',
      content,
    } as unknown as Of<'conversation.item.create'>['item'],
  };
}

/**
 * A user message, a prior assistant reply carried into a new session as text (row 11), or a system message (the
 * summary carried in place of a long conversation's early turns).
 */
function message(
  itemId: string | null,
  role: 'user' | 'assistant' | 'system',
  text: string,
): Of<'conversation.item.create'> {
  return { type: 'conversation.item.create', item: messageItem(itemId, role, text) };
}

/** A text message item (no id: an inline item of an out-of-band response's input). */
function messageItem(
  itemId: string | null,
  role: 'user' | 'assistant' | 'system',
  text: string,
): Of<'conversation.item.create'>['item'] {
  const id = itemId === null ? {} : { id: itemId };
  return role === 'assistant'
    ? { ...id, type: 'message', role, content: [{ type: 'output_text', text }] }
    : { ...id, type: 'message', role, content: [{ type: 'input_text', text }] };
}

/** Why an out-of-band response was asked for; sent as its `metadata.purpose` and echoed back by the server. */
export type OutOfBandPurpose = 'title' | 'summary';

/**
 * An out-of-band response (`conversation: "none"`): text only, never added to the conversation, told apart by its
 * metadata (`talkie_request` is the event id, so its response is ours and no other). No `input` = the session's
 * conversation as context; else these messages instead.
 */
export function outOfBandRequest(
  eventId: string,
  purpose: OutOfBandPurpose,
  instructions: string,
  input?: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>,
): Of<'response.create'> {
  const response: NonNullable<Of<'response.create'>['response']> = {
    conversation: 'none',
    metadata: { purpose, talkie_request: eventId },
    output_modalities: ['text'],
    instructions,
  };
  if (input) response.input = input.map((m) => messageItem(null, m.role, m.text));
  return { type: 'response.create', event_id: eventId, response };
}

/** The machine's input for a GA server event, or null when the machine has nothing to do with it. */
export function decode(event: RealtimeServerEvent, format: AudioFormat): ServerInput | null {
  switch (event.type) {
    case 'session.created':
    case 'session.updated': {
      const { instructions, model } = event.session as { instructions?: unknown; model?: unknown };
      return {
        type: 'sessionDescribed',
        instructions: typeof instructions === 'string' ? instructions : null,
        model: typeof model === 'string' && model.trim() ? model : null,
      };
    }
    case 'input_audio_buffer.committed':
      return { type: 'inputCommitted', itemId: event.item_id };
    case 'conversation.item.input_audio_transcription.delta':
      return { type: 'userTranscript', itemId: event.item_id, text: event.delta ?? '', complete: false };
    case 'conversation.item.input_audio_transcription.completed':
      return { type: 'userTranscript', itemId: event.item_id, text: event.transcript, complete: true };
    case 'response.created':
      return { type: 'responseCreated', responseId: event.response.id ?? '' };
    case 'response.done':
      return {
        type: 'responseDone',
        responseId: event.response.id ?? '',
        status: event.response.status ?? 'completed',
        details: (event.response.status_details as ResponseStatusDetails | null | undefined) ?? null,
        usage: event.response.usage ?? null,
      };
    case 'error':
      return {
        type: 'serverError',
        code: event.error.code ?? null,
        message: event.error.message,
        eventId: event.error.event_id ?? null,
      };
    case 'response.content_part.added':
      return {
        type: 'contentPart',
        responseId: event.response_id,
        itemId: event.item_id,
        partType: event.part.type ?? null,
      };
    case 'response.output_text.delta':
      return {
        type: 'textDelta',
        responseId: event.response_id,
        itemId: event.item_id,
        delta: event.delta,
        source: 'text',
      };
    case 'response.output_audio_transcript.delta':
      return {
        type: 'textDelta',
        responseId: event.response_id,
        itemId: event.item_id,
        delta: event.delta,
        source: 'transcript',
      };
    case 'response.output_audio.delta':
      return {
        type: 'audioDelta',
        responseId: event.response_id,
        itemId: event.item_id,
        contentIndex: event.content_index,
        audio: event.delta,
        ms: base64ByteLength(event.delta) / bytesPerMs(formatObject(format)),
      };
    case 'response.output_audio.done':
      return { type: 'audioDone', responseId: event.response_id };
    case 'response.output_item.done': {
      const item = event.item as {
        type?: string;
        id?: string;
        name?: string | null;
        call_id?: string;
        arguments?: string;
        server_label?: string;
        approval_request_id?: string | null;
        output?: string | null;
        error?: unknown;
      };
      if (item.type === 'mcp_approval_request' && item.id)
        return {
          type: 'mcpApprovalRequest',
          responseId: event.response_id,
          itemId: item.id,
          serverLabel: item.server_label ?? '',
          name: item.name ?? '',
          arguments: item.arguments ?? '',
        };
      if (item.type === 'mcp_call' && item.id)
        return {
          type: 'mcpCall',
          responseId: event.response_id,
          itemId: item.id,
          serverLabel: item.server_label ?? '',
          name: item.name ?? '',
          arguments: item.arguments ?? '',
          approvalRequestId: item.approval_request_id ?? null,
          output: item.output ?? null,
          error: mcpError(item.error),
        };
      if (item.type === 'function_call' && item.call_id)
        return {
          type: 'functionCall',
          responseId: event.response_id,
          callId: item.call_id,
          name: item.name ?? '',
          arguments: item.arguments ?? '',
        };
      return { type: 'responseActivity', responseId: event.response_id };
    }
    default: {
      const responseId = (event as { response_id?: unknown }).response_id;
      return typeof responseId === 'string' ? { type: 'responseActivity', responseId } : null;
    }
  }
}

/** An mcp_call's error in words (the GA error is an object with a type and a message, or absent). */
function mcpError(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return error;
  const e = error as { message?: unknown; type?: unknown };
  if (typeof e.message === 'string' && e.message) return e.message;
  return typeof e.type === 'string' ? e.type : JSON.stringify(error);
}

/** The item an event adds to or removes from the server's conversation (tracked for Retry's context). */
export function conversationChange(
  event: RealtimeServerEvent,
): { added: string; after: string | null } | { deleted: string } | null {
  if (event.type === 'conversation.item.added') {
    const id = event.item.id;
    return id ? { added: id, after: event.previous_item_id ?? null } : null;
  }
  if (event.type === 'conversation.item.deleted') return { deleted: event.item_id };
  return null;
}

/** The response id an event is about, if any (for the event log's turn column). */
export function responseIdOf(event: RealtimeServerEvent): string | undefined {
  if ('response_id' in event && typeof event.response_id === 'string') return event.response_id;
  if ('response' in event && typeof event.response === 'object' && event.response)
    return (event.response as { id?: string }).id;
  return undefined;
}
