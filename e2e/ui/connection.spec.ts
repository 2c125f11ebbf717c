/** The Connection status while the server cannot be reached: a countdown to the next attempt. */
import { test } from '../fixtures/test';
import { expect } from './helpers';

test.use({ appOptions: { env: { REALTIME_URL: 'ws://127.0.0.1:9/v1/realtime' } } });

test('an unreachable server shows "Reconnecting… (retry in N s)" with the reason', async ({ page, app }) => {
  await page.goto(app.url);
  const connection = page.getByRole('status', { name: 'Connection' });
  await expect(connection).toContainText(/Reconnecting… \(retry in \d+ s\)/);
  await expect(connection).toContainText("Can't reach 127.0.0.1:9");
  await expect(connection).not.toContainText('Demo mode');
  // Typed turns are kept while the connection is down, not refused.
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('hold this for me');
  await box.press('Enter');
  await expect(box).toHaveValue('');
  const turn = page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: 'Turn 1' });
  await expect(turn).toContainText('hold this for me');
});
