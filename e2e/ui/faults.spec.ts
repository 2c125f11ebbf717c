/**
 * Each way a real server misbehaves (FIELD-REPORTS rows 3, 4, 6, 11) shows up in the window the way a
 * user can act on: a turn alert with the reason and a working Retry, "No audio returned", a reconnect.
 */
import type { Page } from '@playwright/test';
import {
  expect,
  exportLog,
  openApp,
  openSettings,
  replyAs,
  sendMessage,
  simTest as test,
  turn,
} from './helpers';

/** Sets the stall watchdog through the Settings dialog (2 s keeps the stall case quick). */
async function setStallTimeout(page: Page, seconds: number): Promise<void> {
  const dialog = await openSettings(page);
  await dialog.getByRole('spinbutton', { name: 'Stall timeout (seconds)' }).fill(String(seconds));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

test('a stalled reply is cancelled with the reason, and Retry gets the reply', async ({ page, app, sim }) => {
  await openApp(page, app.url);
  await setStallTimeout(page, 2);
  await replyAs(page, 'Text');
  sim.setFaults(['stall']);
  await sendMessage(page, 'are you there');
  const alert = turn(page, 1).getByRole('alert');
  await expect(alert).toContainText('No reply from the server for 2 s');
  await expect(page.getByText('Last turn failed')).toBeVisible();
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(turn(page, 1)).toContainText('Echo: are you there');
  await expect(turn(page, 1)).toContainText('Completed');
  await expect(turn(page, 1).getByRole('alert')).toHaveCount(0);
});

test('a server error shows its reason and Retry gets the reply', async ({ page, app, sim }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  sim.setFaults(['server-error']);
  await sendMessage(page, 'hello');
  const alert = turn(page, 1).getByRole('alert');
  await expect(alert).toContainText('The server had an internal error (server_error)');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(turn(page, 1)).toContainText('Echo: hello');
  await expect(turn(page, 1)).toContainText('Completed');
  await expect(turn(page, 1).getByRole('alert')).toHaveCount(0);
});

test('text instead of audio once is recovered automatically with a voice reply', async ({
  page,
  app,
  sim,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Voice');
  sim.setFaults(['text-instead-of-audio']);
  await sendMessage(page, 'say it out loud');
  await expect(turn(page, 1)).toContainText('Echo: say it out loud');
  await expect(turn(page, 1)).toContainText('Completed');
  await expect(turn(page, 1)).toContainText(/first audio after \d/);
  await expect(turn(page, 1)).toContainText('attempt 2');
  await expect(turn(page, 1).getByRole('alert')).toHaveCount(0);
});

test('text instead of audio twice shows "No audio returned" with the text, and Retry works', async ({
  page,
  app,
  sim,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Voice');
  sim.setFaults([{ kind: 'text-instead-of-audio', times: 2 }]);
  await sendMessage(page, 'speak please');
  const first = turn(page, 1);
  await expect(first).toContainText('No audio returned');
  await expect(first).toContainText('Echo: speak please');
  await first.getByRole('button', { name: 'Retry' }).click();
  await expect(first).toContainText(/first audio after \d/);
  await expect(first).toContainText('Completed');
  await expect(first).not.toContainText('No audio returned');
});

test('a connection dropped mid-reply reconnects and re-requests the reply by itself', async ({
  page,
  app,
  sim,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  sim.setFaults(['drop']);
  await sendMessage(page, 'a long answer please');
  await expect(turn(page, 1)).toContainText('Echo: a long answer please');
  await expect(turn(page, 1)).toContainText('Completed');
  await expect(turn(page, 1)).toContainText('attempt 2');
  await expect(turn(page, 1).getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Connected/);
  expect(sim.requests.filter((r) => r.outcome !== 'rejected-401').length).toBeGreaterThanOrEqual(2);
});

test('a slow first delta is waited for, not treated as a failure', async ({ page, app, sim }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  sim.setFaults([{ kind: 'slow-first-delta', ms: 2500 }]);
  await sendMessage(page, 'take your time');
  await expect(turn(page, 1)).toContainText('Waiting for reply…');
  await expect(turn(page, 1)).toContainText('Echo: take your time');
  await expect(turn(page, 1)).toContainText(/first reply after 2\.\d s/);
  await expect(turn(page, 1).getByRole('alert')).toHaveCount(0);
});

test.describe('session limit', () => {
  test.use({ simOptions: { audioPacing: 'fast', faults: [{ kind: 'session-expired', ms: 1500 }] } });

  test('an expired session reconnects by itself and the next turn works', async ({ page, app }) => {
    await openApp(page, app.url);
    await expect
      .poll(async () => {
        const { entries } = await exportLog(page);
        return entries.filter((e) => e.type === 'session.created').length;
      })
      .toBeGreaterThanOrEqual(2);
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Connected/);
    const { entries } = await exportLog(page);
    expect(
      entries.some((e) => e.type === 'error' && JSON.stringify(e.payload).includes('session_expired')),
    ).toBe(true);
    await replyAs(page, 'Text');
    await sendMessage(page, 'still there?');
    await expect(turn(page, 1)).toContainText('Echo: still there?');
  });
});

test.describe('a server that refuses the key', () => {
  test.use({ simOptions: { audioPacing: 'fast', apiKey: 'sk-only-this-key-works-1234' } });

  test('the Connection status says the key was rejected and offers Reconnect', async ({ page, app }) => {
    await page.goto(app.url);
    const connection = page.getByRole('status', { name: 'Connection' });
    await expect(connection).toContainText('The API key was rejected');
    await expect(page.getByRole('button', { name: 'Reconnect' })).toBeVisible();
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await expect(connection).toContainText('The API key was rejected');
  });
});
