/**
 * The monthly budget over the real stores: this month's estimated cost adds up every conversation's turns of
 * the local calendar month (deleted conversations too: they were paid for), and the notice comes once per
 * crossing. The time zone is set far from UTC so a UTC month boundary would be caught.
 */
process.env.TZ = 'Pacific/Auckland';

import { afterEach, describe, expect, it } from 'vitest';
import { MonthlyBudget, monthOf } from '../../../../src/main/core/app/budget';
import type { ConversationStorePort } from '../../../../src/main/core/store/port';
import { DEFAULT_PRICES, ZERO_TOKENS, costOf, type TokenCounts } from '../../../../src/shared/usage';
import { STORE_KINDS, manualClock, turn, type StoreUnderTest } from '../store/helpers';

/** 1M text output tokens on gpt-realtime: the price of one million, a round figure to add up. */
const MILLION_OUT: TokenCounts = { ...ZERO_TOKENS, outputText: 1_000_000 };
const PER_TURN = costOf(MILLION_OUT, DEFAULT_PRICES['gpt-realtime']!);
/** Local midnight, 1 December 2026 (Auckland, UTC+13 in summer): 30 November 11:00 UTC. */
const DECEMBER = new Date(2026, 11, 1).getTime();

describe('month boundaries', () => {
  it('are local midnights on the 1st, not UTC ones', () => {
    expect(DECEMBER).toBe(Date.UTC(2026, 10, 30, 11, 0));
    // 1 December 01:00 in Auckland is still 30 November in UTC: it belongs to December here.
    expect(monthOf(DECEMBER + 3_600_000)).toEqual({ start: DECEMBER, end: new Date(2027, 0, 1).getTime() });
    expect(monthOf(DECEMBER - 1).end).toBe(DECEMBER);
  });
});

describe.each(STORE_KINDS)('monthly budget (%s store)', (_kind, make) => {
  let subject: StoreUnderTest | undefined;
  afterEach(() => {
    subject?.dispose();
    subject = undefined;
  });

  function save(store: ConversationStorePort, conversationId: string, id: string, startedAt: number): void {
    if (!store.getConversation(conversationId))
      store.createConversation({
        id: conversationId,
        title: conversationId,
        createdAt: startedAt,
        endpoint: null,
      });
    store.saveTurn(
      turn({
        id,
        conversationId,
        startedAt,
        usage: { model: 'gpt-realtime', tokens: MILLION_OUT, responses: 1 },
      }),
    );
  }

  it('adds up this month’s turns across conversations, and says so once when the budget is passed', () => {
    const clock = manualClock(DECEMBER + 10 * 86_400_000);
    subject = make(clock.now);
    const store = subject.store;
    save(store, 'c_nov', 't_nov', DECEMBER - 60_000); // 23:59 on 30 November, local
    save(store, 'c_a', 't_a', DECEMBER + 60_000); // 00:01 on 1 December, local
    save(store, 'c_b', 't_b', DECEMBER + 5 * 86_400_000);
    save(store, 'c_gone', 't_gone', DECEMBER + 6 * 86_400_000);
    store.deleteConversation('c_gone');

    let budgetUsd: number | null = PER_TURN * 3.5;
    const said: string[] = [];
    const budget = new MonthlyBudget({
      usageBetween: (from, to) => store.usageBetween(from, to),
      now: clock.now,
      settings: () => ({ prices: DEFAULT_PRICES, monthlyBudgetUsd: budgetUsd }),
      onOver: (spent, limit) => said.push(`over ${spent.toFixed(2)} of ${limit.toFixed(2)}`),
      onUnder: () => said.push('under'),
    });
    budget.recount();
    // December so far: three turns (the deleted conversation's included), not November's.
    expect(budget.spent()).toBeCloseTo(PER_TURN * 3, 6);
    expect(said).toEqual([]);

    // The fourth passes the budget: one notice; the fifth says nothing new.
    budget.added('gpt-realtime', MILLION_OUT);
    budget.added('gpt-realtime', MILLION_OUT);
    expect(said).toEqual([`over ${(PER_TURN * 4).toFixed(2)} of ${(PER_TURN * 3.5).toFixed(2)}`]);

    // A raised budget: under again (the notice goes); passing it later is a new crossing, said again. (The
    // recount is the store's: the two responses added above were never written there.)
    budgetUsd = PER_TURN * 4.5;
    budget.recount();
    expect(said.at(-1)).toBe('under');
    budget.added('gpt-realtime', MILLION_OUT);
    expect(said).toHaveLength(2);
    budget.added('gpt-realtime', MILLION_OUT);
    expect(said).toHaveLength(3);
    expect(said.at(-1)).toMatch(/^over /);

    // No budget: nothing over.
    budgetUsd = null;
    budget.recount();
    expect(said.at(-1)).toBe('under');
  });

  it('a new month starts from what the store holds for it', () => {
    const clock = manualClock(DECEMBER - 3_600_000);
    subject = make(clock.now);
    const store = subject.store;
    save(store, 'c_1', 't_nov', DECEMBER - 7_200_000);
    const budget = new MonthlyBudget({
      usageBetween: (from, to) => store.usageBetween(from, to),
      now: clock.now,
      settings: () => ({ prices: DEFAULT_PRICES, monthlyBudgetUsd: 1_000_000 }),
      onOver: () => undefined,
      onUnder: () => undefined,
    });
    budget.recount();
    expect(budget.spent()).toBeCloseTo(PER_TURN, 6);
    clock.set(DECEMBER + 60_000);
    expect(budget.spent()).toBe(0);
  });
});
