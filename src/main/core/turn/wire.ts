/**
 * Builders for the client events the turn machine sends (GA shapes, exact). Kept apart from the machine so
 * the wire rules — never `instructions: ""` (FIELD-REPORTS row 1), `output_modalities` on every
 * response.create (rows 4/5), integer truncate points (row 8) — are visible in one short file.
 */
import type { RealtimeClientEvent } from '../realtime/connection-types';
import type { InstructionsMode, ReplyAs } from '../../../shared/types';
import type { AudioFormat, SessionConfig } from './types';

type Of<T extends RealtimeClientEvent['type']> = Extract<RealtimeClientEvent, { type: T }>;

/** The GA audio format object for a wire format: PCM16 at 24 kHz, or G.711 (8 kHz implied). */
export function formatObject(
  format: AudioFormat,
): { type: 'audio/pcm'; rate: 24000 } | { type: 'audio/pcmu' } | { type: 'audio/pcma' } {
  if (format === 'audio/pcm') return { type: 'audio/pcm', rate: 24000 };
  return { type: format };
}

/** Push-to-talk session: no server VAD, our formats and voice; instructions only when the user set some. */
export function sessionUpdate(config: SessionConfig): Of<'session.update'> {
  const input: Record<string, unknown> = { format: formatObject(config.audioFormat), turn_detection: null };
  if (config.transcriptionModel) input.transcription = { model: config.transcriptionModel };
  const session: Of<'session.update'>['session'] = {
    type: 'realtime',
    audio: {
      // The SDK's input type is a wide union; this literal is checked against the GA schema in tests.
      input: input as NonNullable<NonNullable<Of<'session.update'>['session']['audio']>>['input'],
      output: { format: formatObject(config.audioFormat), voice: config.voice },
    },
  };
  const instructions = config.instructions.trim();
  if (instructions) session.instructions = config.instructions;
  return { type: 'session.update', session };
}

/**
 * The per-response instructions (row 1): undefined (field omitted) when the turn has none; appended to the
 * session's last-seen instructions in 'append' mode; alone in 'replace' mode. Never "".
 */
export function responseInstructions(
  turnInstructions: string | undefined,
  mode: InstructionsMode | undefined,
  sessionInstructions: string | null,
): string | undefined {
  const own = turnInstructions?.trim() ?? '';
  if (!own) return undefined;
  if (mode === 'replace') return own;
  const base = sessionInstructions?.trim() ?? '';
  return base ? `${base}\n\n${own}` : own;
}

/** response.create with explicit output_modalities (rows 4/5) and, only when non-empty, instructions. */
export function responseCreate(
  replyAs: ReplyAs,
  instructions: string | undefined,
  eventId: string,
): Of<'response.create'> {
  const response: NonNullable<Of<'response.create'>['response']> = {
    output_modalities: replyAs === 'voice' ? ['audio'] : ['text'],
  };
  if (instructions) response.instructions = instructions;
  return { type: 'response.create', event_id: eventId, response };
}

/** response.cancel for a known response. */
export function responseCancel(responseId: string): Of<'response.cancel'> {
  return { type: 'response.cancel', response_id: responseId };
}

/** A typed user message. */
export function userText(text: string): Of<'conversation.item.create'> {
  return {
    type: 'conversation.item.create',
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  };
}

/** A prior assistant reply carried into a new session as text (row 11). */
export function assistantText(text: string): Of<'conversation.item.create'> {
  return {
    type: 'conversation.item.create',
    item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] },
  };
}

/** Truncate the assistant's audio item at what the user actually heard, as a whole number of ms. */
export function truncate(
  itemId: string,
  contentIndex: number,
  audioEndMs: number,
): Of<'conversation.item.truncate'> {
  return {
    type: 'conversation.item.truncate',
    item_id: itemId,
    content_index: contentIndex,
    audio_end_ms: Math.max(0, Math.floor(audioEndMs)),
  };
}

/** Simple events without fields. */
export const clearInput = (): Of<'input_audio_buffer.clear'> => ({ type: 'input_audio_buffer.clear' });
export const commitInput = (eventId: string): Of<'input_audio_buffer.commit'> => ({
  type: 'input_audio_buffer.commit',
  event_id: eventId,
});
export const deleteItem = (itemId: string): Of<'conversation.item.delete'> => ({
  type: 'conversation.item.delete',
  item_id: itemId,
});
