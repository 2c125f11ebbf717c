/**
 * Rate limits as the user sees them: the server's `rate_limits.updated` shows as gauges, and when little is left
 * the window says so in words before turns start failing.
 */
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

test.use({
  simOptions: { audioPacing: 'fast', rateLimits: { tokens: 400, requests: 100, resetSeconds: 60 } },
});

test('a nearly used-up token limit is shown as a warning with what is left', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, 'first');
  await expect(turn(page, 1)).toContainText('Echo: first');
  const tokens = page.getByRole('meter', { name: 'Rate limit: tokens' });
  await expect(tokens).toBeVisible();
  await expect(page.getByText(/^Rate limit low:/)).toHaveCount(0);

  // Long messages use up the 400-token window: the gauge drops and the warning appears.
  const long = 'Please summarise the whole history of the harbour, every ship and every storm. '.repeat(6);
  for (let i = 2; i <= 4; i++) {
    await sendMessage(page, long);
    await expect(turn(page, i)).toContainText('Echo: Please summarise');
  }
  await expect(
    page.getByRole('status').filter({ hasText: /^Rate limit low: \d+ of 400 tokens left/ }),
  ).toBeVisible();
  const left = await tokens.getAttribute('value');
  expect(left).not.toBeNull();
  expect(Number(left)).toBeLessThan(80);
});
