/**
 * What the simulated model says: deterministic, so tests can tell which input and which instructions a reply
 * was made from.
 */

/** The last user turn the reply answers. */
export type LastUserInput =
  | { kind: 'text'; text: string }
  | { kind: 'audio'; ms: number }
  | { kind: 'none' }
  /** Tool results since the last user message, already put in words (tools.ts `toolReplyText`). */
  | { kind: 'tools'; text: string };

/**
 * Reply text for a turn.
 * - typed turn → `Echo: <text>`; audio turn → `I heard <N.N> seconds of audio.`
 * - images in the user's turn → one sentence each from their bytes, after that:
 *   `I see a 64×32 image, mostly rgb(255,0,0).` (simulator/connection.ts reads them)
 * - after tool calls → what the tools returned (`The get_current_time tool returned: <output>.`)
 * - response `instructions` set → ` [instructions: <as sent>]` appended
 * - response `instructions: ""` (FIELD-REPORTS row 1) → the model ran with no instructions at all and answers
 *   with the JSON-ish nonsense real models produce then: `{"response": "<reply>"}`
 */
export function replyText(
  input: LastUserInput,
  responseInstructions: string | undefined,
  images: readonly string[] = [],
): string {
  let base: string;
  if (input.kind === 'text') base = `Echo: ${input.text}`;
  else if (input.kind === 'audio') base = `I heard ${(input.ms / 1000).toFixed(1)} seconds of audio.`;
  else if (input.kind === 'tools') base = input.text;
  else base = 'Hello! How can I help?';
  if (input.kind !== 'tools' && images.length > 0) base = `${base} ${images.join(' ')}`;
  if (responseInstructions === '') return `{"response": "${base.replace(/["\\]/g, '\\$&')}"}`;
  if (responseInstructions !== undefined) return `${base} [instructions: ${responseInstructions}]`;
  return base;
}

/** Rough token counts for `usage`: a token per 4 characters of text, per 50 ms of output audio, per 100 ms of input audio. */
export const tokens = {
  text: (text: string): number => Math.ceil(text.length / 4),
  outputAudio: (ms: number): number => Math.ceil(ms / 50),
  inputAudio: (ms: number): number => Math.ceil(ms / 100),
};
