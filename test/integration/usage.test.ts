/**
 * What a conversation costs, core ↔ simulator over real sockets: each turn carries the tokens its responses
 * used (audio counted from its length, a repeated prefix cached), the server's rate limits reach the connection
 * view, and the counts are still there after a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testConversations } from '../helpers/conversations';
import { DEFAULT_PRICES, inputTokens, totalTokens, totalUsage } from '../../src/shared/usage';
import { Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** ~100 text tokens (the simulator counts 4 characters a token). */
const LONG = 'Tell me about the weather on the coast this week, and whether the ferry will run on time. '
  .repeat(4)
  .trim();

describe('usage', () => {
  it('a voice turn counts its audio from its length: 1 input token per 100 ms, reply audio 1 per 50 ms', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, settings: { voice: 'marin' } });
    const id = await rig.talk(1000);
    const turn = await rig.settled(id);
    expect(turn.outcome).toEqual({ kind: 'completed' });
    const sent = rig.received().filter((e) => e.type === 'input_audio_buffer.append');
    const sentMs = sent.reduce((ms, e) => ms + Buffer.from(String(e.audio), 'base64').byteLength / 48, 0);
    expect(turn.usage?.model).toBe('gpt-realtime');
    expect(turn.usage?.tokens.inputAudio).toBe(Math.ceil(sentMs / 100));
    const done = rig.sim.emitted
      .map((e) => e.event)
      .filter((e) => e.type === 'response.done')
      .at(-1) as { response: { usage: { output_token_details: { audio_tokens: number } } } };
    expect(turn.usage?.tokens.outputAudio).toBe(done.response.usage.output_token_details.audio_tokens);
    expect(turn.usage?.tokens.outputAudio).toBeGreaterThan(0);
  });

  it('the second turn repeats the first one’s input: that prefix is reported cached, within the input', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, settings: { voice: 'marin' } });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const first = await rig.settled((await rig.assistant.sendText(LONG)).turnId);
    expect(first.usage?.tokens.cachedText).toBe(0);
    const second = await rig.settled((await rig.assistant.sendText('And tomorrow?')).turnId);
    const t = second.usage?.tokens;
    expect(t?.cachedText).toBeGreaterThanOrEqual(64);
    expect(t?.cachedText).toBeLessThanOrEqual(t?.inputText ?? 0);
    // The turn's total is the server's total_tokens: cached tokens are not added again.
    const done = rig.sim.emitted
      .map((e) => e.event)
      .filter((e) => e.type === 'response.done')
      .at(-1) as { response: { usage: { total_tokens: number } } };
    expect(totalTokens(t!)).toBe(done.response.usage.total_tokens);
  });

  it('rate_limits.updated reaches the connection view: the response’s input is counted against the limit', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast', rateLimits: { tokens: 1000, requests: 50 } } });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const turn = await rig.settled((await rig.assistant.sendText(LONG)).turnId);
    await rig.until(() => (rig?.connection()?.rateLimits?.length ?? 0) === 2, 'rate limits');
    const limits = rig.connection()?.rateLimits ?? [];
    expect(limits.find((l) => l.name === 'requests')).toMatchObject({ limit: 50, remaining: 49 });
    // Reported as the response starts (as the GA server does): its input is taken, its output comes later.
    expect(limits.find((l) => l.name === 'tokens')).toMatchObject({
      limit: 1000,
      remaining: 1000 - inputTokens(turn.usage!.tokens),
    });
  });

  it('the conversation’s token counts and cost are the same after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-usage-'));
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, dataDir });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await rig.settled((await rig.assistant.sendText(LONG)).turnId);
    await rig.settled((await rig.assistant.sendText('And tomorrow?')).turnId);
    const before = totalUsage(
      rig.assistant.snapshot().turns.map((t) => t.usage),
      DEFAULT_PRICES,
    );
    expect(before.tokens).toBeGreaterThan(200);
    expect(before.cost).toBeGreaterThan(0);
    await rig.close();
    rig = undefined;

    const reopened = testConversations(undefined, dataDir);
    try {
      const after = totalUsage(
        reopened.conversations.current().turns.map((t) => t.usage),
        DEFAULT_PRICES,
      );
      expect(after).toEqual(before);
    } finally {
      reopened.store.close();
    }
  });
});

describe('monthly budget', () => {
  it('passing the budget shows one warning, not one per turn', async () => {
    const dear = { ...DEFAULT_PRICES['gpt-realtime']!, textInput: 50_000, textOutput: 50_000 };
    rig = await Rig.start({
      sim: { audioPacing: 'fast' },
      settings: { monthlyBudgetUsd: 1, prices: { ...DEFAULT_PRICES, 'gpt-realtime': dear } },
    });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const budgetNotices = (): string[] =>
      (rig?.notices() ?? []).filter((n) => n.topic === 'budget').map((n) => n.text);
    // ~40 tokens at $50,000 per 1M: about $2 a turn.
    await rig.settled((await rig.assistant.sendText(LONG.slice(0, 160))).turnId);
    await rig.until(() => budgetNotices().length === 1, 'the budget notice');
    expect(budgetNotices()[0]).toMatch(
      /^This month's estimated cost, \$\d+\.\d\d, has passed your monthly budget of \$1\.00 \(Settings › Cost\)\.$/,
    );
    expect(rig.notices().find((n) => n.topic === 'budget')?.level).toBe('warning');
    await rig.settled((await rig.assistant.sendText('And tomorrow?')).turnId);
    await rig.settled((await rig.assistant.sendText('And the day after?')).turnId);
    expect(budgetNotices()).toHaveLength(1);
  });
});
