/**
 * The strict Content-Security-Policy blocks nothing the window needs: no violation while every part of
 * the UI is used (conversation, level meter, virtualised log with its CSSOM positioning, settings, export).
 */
import { test } from '../fixtures/test';
import { expect, exportLog, openApp, replyAs, sendMessage, turn } from './helpers';

declare const document: {
  addEventListener(
    type: string,
    cb: (event: { violatedDirective: string; blockedURI: string }) => void,
  ): void;
};
declare const window: Record<string, unknown>;

test('the window runs under its CSP without a single violation', async ({ page, app }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.addInitScript(() => {
    const seen: string[] = [];
    window.__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await openApp(page, app.url);
  await replyAs(page, 'Voice');
  await sendMessage(page, 'check the policy');
  await expect(turn(page, 1)).toContainText('Completed');
  await exportLog(page);
  await page
    .getByRole('region', { name: 'Event log' })
    .getByRole('listitem')
    .first()
    .getByRole('button')
    .click();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();

  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toContain("script-src 'self'");
  expect(meta).toContain("style-src 'self'");
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
  expect(problems).toEqual([]);
});
