/**
 * What talking costs, as the user sees it: each finished turn shows its tokens and an estimated price, the
 * header's "Session cost" adds the conversation up, a price changed in Settings changes the estimate at once,
 * a monthly budget passed is said once, and the totals are the same after a restart. The demo simulator reports usage and rate limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startBrowserMode, type BrowserMode } from '../fixtures/app';
import { test } from '../fixtures/test';
import { expect, openApp, openSettings, replyAs, sendMessage, turn } from './helpers';

// Runs in the page; the Node tsconfig has no DOM library, so declare what the callback touches.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } };

const COST_LINE = /^([\d,]+) tokens · (<?)\$([\d,]+\.\d{2,3})$/;

/** Tokens and dollars of a cost line ("<$0.001" counts as half of that). */
function parse(text: string): { tokens: number; dollars: number } {
  const match = COST_LINE.exec(text.trim());
  if (!match?.[1] || !match[3]) throw new Error(`not a cost line: ${text}`);
  const dollars = Number(match[3].replace(/,/g, ''));
  return { tokens: Number(match[1].replace(/,/g, '')), dollars: match[2] ? dollars / 2 : dollars };
}

base(
  'each turn shows its tokens and cost; the header adds them up; prices apply at once; it lasts',
  async ({ page }) => {
    base.setTimeout(90_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-e2e-cost-'));
    let app: BrowserMode | undefined;
    try {
      app = await startBrowserMode({ dataDir });
      await openApp(page, app.url);
      const sessionCost = page.getByRole('status', { name: 'Session cost' });
      await expect(sessionCost).toHaveText('No cost yet');

      await replyAs(page, 'Text');
      await sendMessage(page, 'How much does this cost?');
      const first = turn(page, 1).getByText(COST_LINE);
      await expect(first).toBeVisible();
      const one = parse(await first.innerText());
      expect(one.tokens).toBeGreaterThan(0);
      // One turn: the conversation costs what that turn cost.
      await expect(sessionCost).toHaveText(await first.innerText());

      await sendMessage(page, 'And a second question, please.');
      const second = turn(page, 2).getByText(COST_LINE);
      await expect(second).toBeVisible();
      const two = parse(await second.innerText());
      await expect
        .poll(async () => parse(await sessionCost.innerText()).tokens)
        .toBe(one.tokens + two.tokens);

      // The demo simulator reports its rate limits: a gauge shows what is left.
      await expect(page.getByRole('meter', { name: 'Rate limit: tokens' })).toBeVisible();

      // A much higher text input price: the same tokens now cost more, on the turn and in the header.
      const before = parse(await sessionCost.innerText());
      const turnBefore = parse(await first.innerText());
      const dialog = await openSettings(page);
      const price = dialog.getByRole('spinbutton', { name: 'gpt-realtime text input price' });
      await expect(price).toHaveValue('4');
      await price.fill('4000');
      // A monthly budget the dearer prices pass: one warning (it is this month's total, from the store).
      await dialog.getByRole('spinbutton', { name: 'Monthly budget (USD)' }).fill('0.05');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect
        .poll(async () => parse(await sessionCost.innerText()).dollars)
        .toBeGreaterThan(before.dollars * 2);
      expect(parse(await sessionCost.innerText()).tokens).toBe(before.tokens);
      expect(parse(await first.innerText()).dollars).toBeGreaterThan(turnBefore.dollars);
      const overBudget = page.getByText(/has passed your monthly budget of \$0\.050/);
      await expect(overBudget).toHaveCount(1);
      const dearer = (await sessionCost.innerText()).trim();
      await app.stop();
      app = undefined;

      // After a restart the conversation reopens with the same total, at the price the user set.
      app = await startBrowserMode({ dataDir });
      await openApp(page, app.url);
      await expect(page.getByRole('status', { name: 'Session cost' })).toHaveText(dearer);
      expect(parse(await turn(page, 1).getByText(COST_LINE).innerText()).tokens).toBe(one.tokens);
      // The month's total is added up again from the store: still over the budget.
      await expect(overBudget).toHaveCount(1);
    } finally {
      await app?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test('at 640×480 with the event log open, the cost and the rate-limit gauges never push the window sideways', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 640, height: 480 });
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, 'a first message with a cost');
  await expect(turn(page, 1).getByText(COST_LINE)).toBeVisible();
  await expect(page.getByRole('status', { name: 'Session cost' })).toHaveText(COST_LINE);
  for (const logOpen of [false, true]) {
    if (logOpen) await page.getByRole('button', { name: 'Event log', exact: true }).click();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
      `no sideways scrolling (event log ${logOpen ? 'open' : 'closed'})`,
    ).toBe(true);
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeInViewport({ ratio: 1 });
  }
});
