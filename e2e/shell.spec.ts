/**
 * Browser mode end to end: the real core in Node serves the real renderer to Chromium, which renders
 * the app shell and reaches main through the token-protected socket.
 */
import { test, expect } from './fixtures/test';

test('browser mode serves the app shell and the shell reaches the core', async ({ app, page }) => {
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
  });
  await page.goto(app.url);
  await expect(page.getByRole('button', { name: 'Push to talk' })).toBeVisible();
  // The Connection status comes from the core over the socket: proof the bridge works end to end.
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText(
    /Demo mode \(local simulator\)/,
  );
  await expect(page.getByRole('radiogroup', { name: 'Reply as' })).toBeVisible();
  expect(blocked, 'the page must run under its CSP without violations').toEqual([]);
});

test('the page without the token gets no access to the core', async ({ app, page }) => {
  await page.goto(app.origin + '/');
  // The shell may render, but it must not reach the core: no connection state arrives.
  await expect(page.getByRole('status', { name: 'Connection' })).not.toContainText(/Demo mode|Connected/, {
    timeout: 3000,
  });
  expect(app.output()).not.toMatch(/command .* failed/);
});

test('prints exactly one line, the page URL, and stops cleanly on SIGTERM', async ({ app }) => {
  const lines = app
    .stdout()
    .split('\n')
    .filter((line) => line.trim() !== '');
  expect(lines).toEqual([`Talkie browser mode: ${app.url}`]);
  // Nothing else went wrong on stderr (the sound libraries' device probing aside).
  expect(app.stderrLines()).toEqual([]);
  // The fixture's teardown asserts exit code 0 after SIGTERM.
});
