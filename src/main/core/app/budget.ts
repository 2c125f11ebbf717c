/**
 * The optional monthly budget: this month's estimated cost across all conversations (the store's turns, priced
 * with the table in force), and a notice when it passes the budget — once per crossing: it is said again only
 * after the total was back under the budget (a raised budget, a new month). Months are calendar months in the
 * computer's local time zone, as the user reads a calendar (and a bill's "this month").
 */
import {
  costOf,
  pricesFor,
  totalUsage,
  type PriceTable,
  type TokenCounts,
  type TurnUsage,
} from '../../../shared/usage';

/** What the budget watcher needs from the app. */
export interface BudgetDeps {
  /** Turn usage started in [from, to): the store's `usageBetween`. */
  usageBetween: (from: number, to: number) => TurnUsage[];
  now: () => number;
  settings: () => { prices: Readonly<PriceTable>; monthlyBudgetUsd: number | null };
  /** The total passed the budget (total and budget in USD). */
  onOver: (spent: number, budget: number) => void;
  /** The total is under the budget again (or no budget): what was said no longer holds. */
  onUnder: () => void;
}

/** [start, end) of the local calendar month holding `at`, in ms since epoch. */
export function monthOf(at: number): { start: number; end: number } {
  const d = new Date(at);
  return {
    start: new Date(d.getFullYear(), d.getMonth(), 1).getTime(),
    end: new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime(),
  };
}

/** This month's estimated spend, kept up to date response by response. */
export class MonthlyBudget {
  private month = { start: 0, end: 0 };
  private spentUsd = 0;
  private over = false;

  constructor(private readonly deps: BudgetDeps) {}

  /** This month's estimated cost so far (USD). */
  spent(): number {
    this.rollMonth();
    return this.spentUsd;
  }

  /** A response's tokens were counted (on a turn of this month): added, then the budget is checked. */
  added(model: string, tokens: TokenCounts): void {
    this.rollMonth();
    const prices = pricesFor(this.deps.settings().prices, model);
    if (prices) this.spentUsd += costOf(tokens, prices);
    this.check();
  }

  /** Prices or the budget changed (or first look at start): add the month up again from the store. */
  recount(): void {
    this.month = { start: 0, end: 0 };
    this.rollMonth();
    this.check();
  }

  /** Says so when the total is over the budget and was not before. */
  private check(): void {
    const budget = this.deps.settings().monthlyBudgetUsd;
    const over = budget !== null && this.spentUsd >= budget;
    if (over && !this.over && budget !== null) this.deps.onOver(this.spentUsd, budget);
    if (!over && this.over) this.deps.onUnder();
    this.over = over;
  }

  /** A new month (or the first look): the total comes from the store. Returns whether it was reloaded. */
  private rollMonth(): boolean {
    const now = this.deps.now();
    if (now >= this.month.start && now < this.month.end) return false;
    this.month = monthOf(now);
    const usages = this.deps.usageBetween(this.month.start, this.month.end);
    this.spentUsd = totalUsage(usages, this.deps.settings().prices).cost;
    return true;
  }
}
