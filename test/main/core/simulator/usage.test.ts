/** The simulator's usage arithmetic: audio from duration, a repeated prefix cached in 64-token blocks, rate limits. */
import { describe, expect, it } from 'vitest';
import {
  CACHE_BLOCK,
  RateLimitAccount,
  inputUsage,
  itemPiece,
  usageObject,
} from '../../../../src/main/core/simulator/usage';

describe('simulated usage', () => {
  it('user audio counts 1 token per 100 ms, assistant audio 1 per 50 ms', () => {
    expect(itemPiece({ id: 'u', role: 'user', content: [] }, 2000)).toMatchObject({ audio: 20, text: 0 });
    expect(
      itemPiece({ id: 'a', role: 'assistant', content: [{ transcript: 'abcdefgh' }] }, 2000),
    ).toMatchObject({
      audio: 40,
      text: 2,
    });
  });

  it('the first request has nothing cached; the next one caches the shared prefix in whole blocks', () => {
    const instr = { key: 'i', text: 50, audio: 0 };
    const user = { key: 'u1', text: 0, audio: 40 };
    const first = inputUsage([instr, user], []);
    expect(first).toEqual({ text: 50, audio: 40, cachedText: 0, cachedAudio: 0 });
    const reply = { key: 'a1', text: 10, audio: 60 };
    const second = inputUsage([instr, user, reply, { key: 'u2', text: 5, audio: 0 }], ['i', 'u1']);
    // 90 shared tokens → one block of 64: the 50 text first, then 14 audio.
    expect(second).toEqual({ text: 65, audio: 100, cachedText: 50, cachedAudio: 14 });
    expect(second.cachedText + second.cachedAudio).toBe(CACHE_BLOCK);
  });

  it('a changed start (new instructions) caches nothing', () => {
    expect(inputUsage([{ key: 'i2', text: 500, audio: 0 }], ['i']).cachedText).toBe(0);
  });

  it('the usage object keeps cached within input and the total equal to input plus output', () => {
    const u = usageObject({ text: 65, audio: 100, cachedText: 50, cachedAudio: 14 }, { text: 7, audio: 30 });
    expect(u).toEqual({
      total_tokens: 202,
      input_tokens: 165,
      output_tokens: 37,
      input_token_details: {
        text_tokens: 65,
        audio_tokens: 100,
        image_tokens: 0,
        cached_tokens: 64,
        cached_tokens_details: { text_tokens: 50, audio_tokens: 14, image_tokens: 0 },
      },
      output_token_details: { text_tokens: 7, audio_tokens: 30 },
    });
  });

  it('the account counts requests and tokens until its window resets', () => {
    let now = 0;
    const account = new RateLimitAccount({ tokens: 1000, requests: 10, resetSeconds: 60 }, () => now);
    account.request(300);
    account.spend(200);
    now = 30_000;
    expect(account.report()).toEqual([
      { name: 'requests', limit: 10, remaining: 9, reset_seconds: 30 },
      { name: 'tokens', limit: 1000, remaining: 500, reset_seconds: 30 },
    ]);
    now = 61_000;
    expect(account.report()[1]).toMatchObject({ remaining: 1000 });
  });
});
