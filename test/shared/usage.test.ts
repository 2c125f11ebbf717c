/**
 * Tokens and cost from real `response.done` usage objects (the official GA and beta examples, one from a live
 * session): cached tokens are part of the input, priced at the cached rate and never counted twice.
 */
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/realtime/spec-examples-ga.json';
import samples from '../fixtures/usage/response-done-usage.json';
import {
  DEFAULT_PRICES,
  costOf,
  formatCost,
  pricesFor,
  tokensFromUsage,
  totalTokens,
  totalUsage,
  usageLine,
  type ModelPrices,
  type TurnUsage,
} from '../../src/shared/usage';

type Examples = Record<string, Record<string, { response: { usage: Record<string, unknown> } }>>;
const gaUsage = (fixture as unknown as { examples: Examples }).examples['response.done']?.[
  'RealtimeServerEventResponseDone'
]?.response.usage;

const realtime = DEFAULT_PRICES['gpt-realtime'] as ModelPrices;
const mini = DEFAULT_PRICES['gpt-realtime-mini'] as ModelPrices;

describe('tokens from response.done usage', () => {
  it('GA example: cached text is a subset of input text; the total is the server total_tokens, not more', () => {
    const t = tokensFromUsage(gaUsage);
    expect(t).toEqual({
      inputText: 119,
      inputAudio: 13,
      inputImage: 0,
      cachedText: 64,
      cachedAudio: 0,
      cachedImage: 0,
      outputText: 30,
      outputAudio: 91,
    });
    expect(totalTokens(t!)).toBe(253);
    expect(gaUsage?.total_tokens).toBe(253);
  });

  it('GA example at gpt-realtime prices: 55 text at $4, 64 cached at $0.40, 13 audio at $32, outputs at $16/$64', () => {
    const cost = costOf(tokensFromUsage(gaUsage)!, realtime);
    // (55×4 + 64×0.4 + 13×32 + 30×16 + 91×64) / 1e6
    expect(cost).toBeCloseTo(0.0069656, 10);
    expect(
      usageLine(
        totalUsage(
          [{ model: 'gpt-realtime', tokens: tokensFromUsage(gaUsage)!, responses: 1 }],
          DEFAULT_PRICES,
        ),
      ),
    ).toBe('253 tokens · $0.007');
  });

  it('live session: 640 cached of 789 input are charged at the cached rate only', () => {
    const t = tokensFromUsage(samples.forum)!;
    expect(t).toMatchObject({ inputText: 313, cachedText: 256, inputAudio: 476, cachedAudio: 384 });
    expect(totalTokens(t)).toBe(821);
    // (57×4 + 256×0.4 + 92×32 + 384×0.4 + 9×16 + 23×64) / 1e6
    expect(costOf(t, realtime)).toBeCloseTo(0.005044, 10);
    // Counting cached tokens twice (as input and as cached) would cost more: this is what we never do.
    const doubled = (313 * 4 + 256 * 0.4 + 476 * 32 + 384 * 0.4 + 9 * 16 + 23 * 64) / 1e6;
    expect(costOf(t, realtime)).toBeLessThan(doubled);
  });

  it('beta example whose cached counts exceed its input: cached is clamped to the input, never negative', () => {
    const t = tokensFromUsage(samples.beta)!;
    expect(t).toMatchObject({ inputText: 119, cachedText: 119, inputAudio: 8, cachedAudio: 8 });
    expect(totalTokens(t)).toBe(275);
    expect(costOf(t, realtime)).toBeCloseTo((119 * 0.4 + 8 * 0.4 + 36 * 16 + 112 * 64) / 1e6, 10);
  });

  it('totals only: input and output counted as text', () => {
    expect(tokensFromUsage(samples.totalsOnly)).toMatchObject({
      inputText: 50,
      outputText: 100,
      inputAudio: 0,
    });
  });

  it('no usage at all: nothing to count', () => {
    expect(tokensFromUsage(undefined)).toBeNull();
    expect(tokensFromUsage(null)).toBeNull();
    expect(tokensFromUsage({})).toBeNull();
  });
});

describe('the price table', () => {
  const used: TurnUsage = { model: 'gpt-realtime', tokens: tokensFromUsage(gaUsage)!, responses: 1 };

  it('an edited price changes the estimate by exactly that kind of tokens', () => {
    const before = totalUsage([used], DEFAULT_PRICES).cost;
    const dearer = { ...DEFAULT_PRICES, 'gpt-realtime': { ...realtime, audioOutput: 128 } };
    const after = totalUsage([used], dearer).cost;
    expect(after - before).toBeCloseTo((91 * 64) / 1e6, 12);
  });

  it('the mini model is priced with its own row', () => {
    const cheap = totalUsage([{ ...used, model: 'gpt-realtime-mini' }], DEFAULT_PRICES).cost;
    expect(cheap).toBeCloseTo(costOf(used.tokens, mini), 12);
    expect(cheap).toBeLessThan(totalUsage([used], DEFAULT_PRICES).cost);
  });

  it('a snapshot name uses its base model row, the longest that fits', () => {
    expect(pricesFor(DEFAULT_PRICES, 'gpt-realtime-2025-08-28')).toBe(realtime);
    expect(pricesFor(DEFAULT_PRICES, 'gpt-realtime-mini-2025-10-06')).toBe(mini);
    expect(pricesFor(DEFAULT_PRICES, 'my-azure-deployment')).toBeNull();
  });

  it('a model with no price shows its tokens and says it has no price', () => {
    const total = totalUsage([{ ...used, model: 'my-azure-deployment' }], DEFAULT_PRICES);
    expect(total).toEqual({ tokens: 253, cost: 0, unpriced: ['my-azure-deployment'] });
    expect(usageLine(total)).toBe('253 tokens · no price for my-azure-deployment');
  });

  it('a conversation adds every turn, each at its own model', () => {
    const total = totalUsage([used, { ...used, model: 'gpt-realtime-mini' }, undefined], DEFAULT_PRICES);
    expect(total.tokens).toBe(506);
    expect(total.cost).toBeCloseTo(costOf(used.tokens, realtime) + costOf(used.tokens, mini), 12);
  });

  it('formats as users read money', () => {
    expect(formatCost(0.0123)).toBe('$0.012');
    expect(formatCost(0.0001)).toBe('<$0.001');
    expect(formatCost(0)).toBe('$0.000');
    expect(formatCost(1234.5)).toBe('$1,234.50');
    expect(usageLine({ tokens: 1234, cost: 0.0123, unpriced: [] })).toBe('1,234 tokens · $0.012');
  });
});
