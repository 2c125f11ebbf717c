/**
 * Tokens and what they cost: `response.done`'s `usage` read into tokens by kind, and an estimated price from a
 * per-model table the user can edit. Pure, shared by main (it keeps the counts) and the window (it prices them
 * with the table in force, so a changed price shows at once).
 *
 * Cached tokens are a SUBSET of input tokens (`input_token_details.cached_tokens_details`): a cached text token is
 * also counted in `text_tokens`. It is priced at the cached rate instead of the input rate, never both, and counted
 * once in the totals.
 */

/** Tokens of one response (or the sum of several), by kind. `cached*` are part of `input*`, not extra. */
export interface TokenCounts {
  inputText: number;
  inputAudio: number;
  inputImage: number;
  cachedText: number;
  cachedAudio: number;
  cachedImage: number;
  outputText: number;
  outputAudio: number;
}

/** What a turn used: the tokens of all its responses, and the model that produced them (for its prices). */
export interface TurnUsage {
  model: string;
  tokens: TokenCounts;
  /** How many responses were counted (a Retry or a tool follow-up is another response). */
  responses: number;
}

/** USD per 1M tokens of each kind (the unit OpenAI publishes). */
export interface ModelPrices {
  textInput: number;
  textCachedInput: number;
  textOutput: number;
  audioInput: number;
  audioCachedInput: number;
  audioOutput: number;
  imageInput: number;
  imageCachedInput: number;
}

/** Model name → prices. A model snapshot ("gpt-realtime-2025-08-28") uses the longest name it starts with. */
export type PriceTable = Record<string, ModelPrices>;

export const PRICE_FIELDS = [
  'textInput',
  'textCachedInput',
  'textOutput',
  'audioInput',
  'audioCachedInput',
  'audioOutput',
  'imageInput',
  'imageCachedInput',
] as const satisfies ReadonlyArray<keyof ModelPrices>;

/**
 * Published prices, USD per 1M tokens, from the model pages on developers.openai.com
 * (models/gpt-realtime-1.5 — the same rates as gpt-realtime — and models/gpt-realtime-2.1-mini, which lists
 * gpt-realtime-mini beside it), as stored and read on 2026-12-03. Users can change them in Settings.
 */
export const PRICES_AS_OF = '2026-12-03';
export const DEFAULT_PRICES: Readonly<PriceTable> = Object.freeze({
  'gpt-realtime': {
    textInput: 4,
    textCachedInput: 0.4,
    textOutput: 16,
    audioInput: 32,
    audioCachedInput: 0.4,
    audioOutput: 64,
    imageInput: 5,
    imageCachedInput: 0.5,
  },
  'gpt-realtime-mini': {
    textInput: 0.6,
    textCachedInput: 0.06,
    textOutput: 2.4,
    audioInput: 10,
    audioCachedInput: 0.3,
    audioOutput: 20,
    imageInput: 0.8,
    imageCachedInput: 0.08,
  },
});

export const ZERO_TOKENS: Readonly<TokenCounts> = Object.freeze({
  inputText: 0,
  inputAudio: 0,
  inputImage: 0,
  cachedText: 0,
  cachedAudio: 0,
  cachedImage: 0,
  outputText: 0,
  outputAudio: 0,
});

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
const obj = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;

/**
 * Tokens by kind from a `response.done` `usage` object, or null when it has none. Never throws. Where the
 * server gives only totals, input and output are counted as text. Cached counts are clamped to their kind's
 * input (a server that reports more cached than input tokens never makes a negative uncached count), and a
 * bare `cached_tokens` without details is taken as text, then audio, then image.
 */
export function tokensFromUsage(usage: unknown): TokenCounts | null {
  const u = obj(usage);
  if (!u) return null;
  const inDetails = obj(u.input_token_details);
  const outDetails = obj(u.output_token_details);
  const inputTotal = count(u.input_tokens);
  const outputTotal = count(u.output_tokens);
  const inputText = inDetails ? count(inDetails.text_tokens) : inputTotal;
  const inputAudio = inDetails ? count(inDetails.audio_tokens) : 0;
  const inputImage = inDetails ? count(inDetails.image_tokens) : 0;
  const cachedDetails = obj(inDetails?.cached_tokens_details);
  let cachedText: number;
  let cachedAudio: number;
  let cachedImage: number;
  if (cachedDetails) {
    cachedText = Math.min(count(cachedDetails.text_tokens), inputText);
    cachedAudio = Math.min(count(cachedDetails.audio_tokens), inputAudio);
    cachedImage = Math.min(count(cachedDetails.image_tokens), inputImage);
  } else {
    let left = count(inDetails?.cached_tokens);
    cachedText = Math.min(left, inputText);
    left -= cachedText;
    cachedAudio = Math.min(left, inputAudio);
    left -= cachedAudio;
    cachedImage = Math.min(left, inputImage);
  }
  const outputText = outDetails ? count(outDetails.text_tokens) : outputTotal;
  const outputAudio = outDetails ? count(outDetails.audio_tokens) : 0;
  if (inputTotal + outputTotal + inputText + inputAudio + inputImage + outputText + outputAudio === 0)
    return u.input_tokens === undefined && u.output_tokens === undefined && !inDetails && !outDetails
      ? null
      : { ...ZERO_TOKENS };
  return { inputText, inputAudio, inputImage, cachedText, cachedAudio, cachedImage, outputText, outputAudio };
}

/** The sum of two counts. */
export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    inputText: a.inputText + b.inputText,
    inputAudio: a.inputAudio + b.inputAudio,
    inputImage: a.inputImage + b.inputImage,
    cachedText: a.cachedText + b.cachedText,
    cachedAudio: a.cachedAudio + b.cachedAudio,
    cachedImage: a.cachedImage + b.cachedImage,
    outputText: a.outputText + b.outputText,
    outputAudio: a.outputAudio + b.outputAudio,
  };
}

/** Input tokens (cached ones included once: they are part of input). */
export const inputTokens = (t: TokenCounts): number => t.inputText + t.inputAudio + t.inputImage;
/** Output tokens. */
export const outputTokens = (t: TokenCounts): number => t.outputText + t.outputAudio;
/** All tokens, as `usage.total_tokens` counts them (cached not counted again). */
export const totalTokens = (t: TokenCounts): number => inputTokens(t) + outputTokens(t);

/** The prices for a model: its own row, else the longest row name it starts with (snapshots); null if none. */
export function pricesFor(table: Readonly<PriceTable>, model: string): ModelPrices | null {
  const name = model.trim();
  const exact = table[name];
  if (exact) return exact;
  let best: string | null = null;
  for (const key of Object.keys(table))
    if (name.startsWith(`${key}-`) && (best === null || key.length > best.length)) best = key;
  return best === null ? null : (table[best] ?? null);
}

/** Estimated USD for these tokens at these prices: uncached input at the input rate, cached at the cached rate. */
export function costOf(t: TokenCounts, p: ModelPrices): number {
  const micro =
    (t.inputText - t.cachedText) * p.textInput +
    t.cachedText * p.textCachedInput +
    t.outputText * p.textOutput +
    (t.inputAudio - t.cachedAudio) * p.audioInput +
    t.cachedAudio * p.audioCachedInput +
    t.outputAudio * p.audioOutput +
    (t.inputImage - t.cachedImage) * p.imageInput +
    t.cachedImage * p.imageCachedInput;
  return micro / 1_000_000;
}

/** Tokens and estimated cost of several turns; `unpriced` lists models the table has no price for. */
export interface UsageTotal {
  tokens: number;
  /** USD, over the priced turns only. */
  cost: number;
  unpriced: string[];
}

/** Adds up turns' usage, each priced with its own model's row. */
export function totalUsage(
  usages: ReadonlyArray<TurnUsage | undefined>,
  table: Readonly<PriceTable>,
): UsageTotal {
  let tokens = 0;
  let cost = 0;
  const unpriced = new Set<string>();
  for (const usage of usages) {
    if (!usage) continue;
    tokens += totalTokens(usage.tokens);
    const prices = pricesFor(table, usage.model);
    if (prices) cost += costOf(usage.tokens, prices);
    else unpriced.add(usage.model);
  }
  return { tokens, cost, unpriced: [...unpriced] };
}

/** "1,234 tokens" */
export function formatTokens(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'token' : 'tokens'}`;
}

/** "$0.012", "$1.23", "<$0.001": three decimals under a dollar (a turn costs cents or less). */
export function formatCost(usd: number): string {
  if (usd > 0 && usd < 0.0005) return '<$0.001';
  if (usd < 1) return `$${usd.toFixed(3)}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** "1,234 tokens · $0.012", or without the price when the model has none in the table. */
export function usageLine(total: UsageTotal): string {
  const tokens = formatTokens(total.tokens);
  if (total.unpriced.length > 0 && total.cost === 0) return `${tokens} · no price for ${total.unpriced[0]}`;
  return `${tokens} · ${formatCost(total.cost)}`;
}
