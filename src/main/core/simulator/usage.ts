/**
 * The simulator's `usage` and rate limits, shaped like the GA server's: audio tokens from audio length (user
 * audio 1 token per 100 ms, assistant audio 1 per 50 ms, as OpenAI's realtime-costs guide states), text at about
 * 4 characters a token, and prompt caching — the part of a response's input that repeats the previous response's
 * input from the start is reported as cached, in whole 64-token blocks, as a subset of the input tokens.
 */
import { tokens } from './reply';

/** One piece of a response's input, in order: the instructions, then each conversation item. */
export interface InputPiece {
  /** Identifies the piece for caching: the same key at the same position is the same prefix. */
  key: string;
  text: number;
  audio: number;
}

/** Cached prefixes are counted in blocks of this many tokens (the GA example reports 64). */
export const CACHE_BLOCK = 64;

/** The input side of a `usage` object. */
export interface InputUsage {
  text: number;
  audio: number;
  cachedText: number;
  cachedAudio: number;
}

/** Tokens of one item of the conversation, by kind. */
export function itemPiece(item: Record<string, unknown>, audioMs: number): InputPiece {
  let text = 0;
  for (const key of ['arguments', 'output'] as const) {
    const value = item[key];
    if (typeof value === 'string') text += tokens.text(value);
  }
  for (const p of (item.content as Array<Record<string, unknown>> | undefined) ?? []) {
    for (const key of ['text', 'transcript'] as const) {
      const value = p[key];
      if (typeof value === 'string') text += tokens.text(value);
    }
  }
  const audio = item.role === 'assistant' ? tokens.outputAudio(audioMs) : tokens.inputAudio(audioMs);
  return { key: `${String(item.id ?? '')}:${audioMs}:${text}`, text, audio };
}

/** The input tokens of a request, with what it shares from the start with the previous request cached. */
export function inputUsage(pieces: readonly InputPiece[], previous: readonly string[]): InputUsage {
  let text = 0;
  let audio = 0;
  let shared = 0;
  let sharing = true;
  for (const [i, piece] of pieces.entries()) {
    text += piece.text;
    audio += piece.audio;
    sharing = sharing && previous[i] === piece.key;
    if (sharing) shared += piece.text + piece.audio;
  }
  // Whole blocks of the shared prefix, taken in order (so a prefix of text then audio caches its text first).
  let left = Math.floor(shared / CACHE_BLOCK) * CACHE_BLOCK;
  let cachedText = 0;
  let cachedAudio = 0;
  for (const piece of pieces) {
    if (left <= 0) break;
    const t = Math.min(piece.text, left);
    cachedText += t;
    left -= t;
    const a = Math.min(piece.audio, left);
    cachedAudio += a;
    left -= a;
  }
  return { text, audio, cachedText, cachedAudio };
}

/** A GA `usage` object for a response's input and what it produced. */
export function usageObject(
  input: InputUsage,
  output: { text: number; audio: number },
): Record<string, unknown> {
  const inputTokens = input.text + input.audio;
  const outputTokens = output.text + output.audio;
  return {
    total_tokens: inputTokens + outputTokens,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    input_token_details: {
      text_tokens: input.text,
      audio_tokens: input.audio,
      image_tokens: 0,
      cached_tokens: input.cachedText + input.cachedAudio,
      cached_tokens_details: {
        text_tokens: input.cachedText,
        audio_tokens: input.cachedAudio,
        image_tokens: 0,
      },
    },
    output_token_details: { text_tokens: output.text, audio_tokens: output.audio },
  };
}

/** Rate limits of the simulated account: shared by its connections, reset every `resetSeconds`. */
export interface RateLimitOptions {
  /** Tokens per window; default 40,000. */
  tokens?: number;
  /** Requests (responses) per window; default 1,000. */
  requests?: number;
  /** Window length; default 60 s. */
  resetSeconds?: number;
}

/** What the account has left, as `rate_limits.updated` reports it. */
export class RateLimitAccount {
  private readonly tokenLimit: number;
  private readonly requestLimit: number;
  private readonly windowMs: number;
  private windowStart: number;
  private usedTokens = 0;
  private usedRequests = 0;

  constructor(
    options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenLimit = options.tokens ?? 40_000;
    this.requestLimit = options.requests ?? 1_000;
    this.windowMs = (options.resetSeconds ?? 60) * 1000;
    this.windowStart = now();
  }

  /** A response starts: one request, and its input tokens. */
  request(inputTokens: number): void {
    this.roll();
    this.usedRequests += 1;
    this.usedTokens += inputTokens;
  }

  /** A response produced this many tokens. */
  spend(outputTokens: number): void {
    this.roll();
    this.usedTokens += outputTokens;
  }

  /** The `rate_limits` array of a `rate_limits.updated` event. */
  report(): Array<{ name: 'requests' | 'tokens'; limit: number; remaining: number; reset_seconds: number }> {
    this.roll();
    const reset = Math.max(0, (this.windowStart + this.windowMs - this.now()) / 1000);
    const seconds = Math.round(reset * 100) / 100;
    return [
      {
        name: 'requests',
        limit: this.requestLimit,
        remaining: Math.max(0, this.requestLimit - this.usedRequests),
        reset_seconds: seconds,
      },
      {
        name: 'tokens',
        limit: this.tokenLimit,
        remaining: Math.max(0, this.tokenLimit - this.usedTokens),
        reset_seconds: seconds,
      },
    ];
  }

  private roll(): void {
    const now = this.now();
    if (now - this.windowStart < this.windowMs) return;
    this.windowStart = now;
    this.usedTokens = 0;
    this.usedRequests = 0;
  }
}
