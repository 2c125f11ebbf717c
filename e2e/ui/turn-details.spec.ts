/**
 * Issue 19, the turn's words and the talk dock: a failed turn is not "done", queue time is not the server's
 * "first reply", "attempt 2" says why, the status under Push to talk is never cut off, the "Hold to talk" hint
 * goes once a later turn is answered; "Replace session instructions" unticks after the turn that used it and
 * blank instructions are not kept; queued turns wait "for the connection" and can be cancelled; the Message
 * box grows with long text.
 */
import type { Page } from '@playwright/test';
import { test as appTest } from '../fixtures/test';
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

// Runs in the page; the Node tsconfig has no DOM library, so declare what the callback touches.
declare const window: { dispatchEvent(event: unknown): boolean };
declare const KeyboardEvent: new (type: string, init: Record<string, unknown>) => unknown;

const instructionsBox = (page: Page) => page.getByRole('textbox', { name: 'Instructions for this turn' });
const replaceBox = (page: Page) =>
  page.getByRole('checkbox', { name: 'Replace session instructions for this turn' });

test('a failed turn is not "done", and its status under Push to talk is whole', async ({
  page,
  app,
  sim,
}) => {
  for (const size of [
    { width: 800, height: 600 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(size);
    if (size.width === 800) {
      await openApp(page, app.url);
      await replyAs(page, 'Text');
      sim.setFaults(['server-error']);
      await sendMessage(page, 'fail please');
      await expect(turn(page, 1).getByRole('alert')).toBeVisible();
    }
    await expect(turn(page, 1)).not.toContainText('done in');
    const status = page.locator('#ptt-status');
    await expect(status).toHaveText('Last turn failed — see Retry above');
    // Not cut off: the whole text fits in its box.
    expect(await status.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  }
});

test('time spent queued is not counted as the server’s first reply', async ({ page, app, sim }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  sim.setFaults([{ kind: 'slow-first-delta', ms: 2500 }]);
  await sendMessage(page, 'slow one');
  await sendMessage(page, 'queued behind it');
  await expect(turn(page, 2)).toContainText('Queued');
  await expect(turn(page, 2)).toContainText('Completed', { timeout: 20_000 });
  const text = await turn(page, 2).innerText();
  const match = /first reply after ([\d.]+) (ms|s)/.exec(text);
  expect(match, text).not.toBeNull();
  const ms = match![2] === 's' ? Number(match![1]) * 1000 : Number(match![1]);
  expect(ms).toBeLessThan(2000);
});

test('"attempt 2" says why the reply was asked for again', async ({ page, app, sim }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Voice');
  sim.setFaults(['text-instead-of-audio']);
  await sendMessage(page, 'say it out loud');
  await expect(turn(page, 1)).toContainText('Completed');
  await expect(turn(page, 1)).toContainText(
    'attempt 2 (the server answered in text, so Talkie asked again for audio)',
  );
});

test('"Replace session instructions" unticks after its turn; blank instructions are not kept', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await instructionsBox(page).fill('Answer in one sentence');
  await replaceBox(page).check();
  await sendMessage(page, 'first');
  await expect(turn(page, 1)).toContainText('Instructions (replacing session)');
  await expect(instructionsBox(page)).toHaveValue('');
  await instructionsBox(page).fill('Now something else');
  await expect(replaceBox(page)).not.toBeChecked();

  await instructionsBox(page).fill('   ');
  await page.waitForTimeout(800);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Connected/);
  await expect(instructionsBox(page)).toHaveValue('');
  await expect(page.getByText('Session instructions apply')).toBeVisible();
});

test('the Message box grows with long text, up to a limit', async ({ page, app }) => {
  await openApp(page, app.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  const empty = (await box.boundingBox())!.height;
  await box.fill(Array.from({ length: 6 }, (_, i) => `line ${i + 1}`).join('\n'));
  const grown = (await box.boundingBox())!.height;
  expect(grown).toBeGreaterThan(empty + 40);
  await box.fill(Array.from({ length: 80 }, (_, i) => `line ${i + 1}`).join('\n'));
  const capped = (await box.boundingBox())!.height;
  expect(capped).toBeLessThanOrEqual(260);
  await expect(
    page.getByRole('region', { name: 'Talk' }).getByRole('button', { name: 'Send' }),
  ).toBeInViewport();
});

appTest.describe('while the server cannot be reached', () => {
  appTest.use({ appOptions: { env: { REALTIME_URL: 'ws://127.0.0.1:9/v1/realtime' } } });

  appTest(
    'a typed turn waits for the connection (not "Sending…") and can be cancelled',
    async ({ page, app }) => {
      await page.goto(app.url);
      await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Reconnecting');
      await sendMessage(page, 'hold this for me');
      const waiting = turn(page, 1);
      await expect(waiting).toContainText('Waiting for the connection');
      await expect(page.locator('#ptt-status')).toHaveText('Waiting for the connection');
      await expect(page.getByText('Sending…')).toHaveCount(0);
      await waiting.getByRole('button', { name: 'Cancel' }).click();
      await expect(waiting).toContainText('Cancelled');
      await expect(waiting.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
      await expect(page.locator('#ptt-status')).not.toHaveText('Waiting for the connection');
    },
  );
});

appTest('the "Hold to talk" hint goes once a later turn is answered', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  // A tap: key down and up in one go, so a busy machine cannot stretch it past 100 ms.
  await page.evaluate(() => {
    for (const type of ['keydown', 'keyup'])
      window.dispatchEvent(new KeyboardEvent(type, { key: ' ', code: 'Space', bubbles: true }));
  });
  const hint = page.getByText('Hold to talk', { exact: true });
  await expect(hint).toBeVisible();
  await sendMessage(page, 'a proper turn');
  await expect(page.getByRole('log', { name: 'Conversation' })).toContainText('Echo: a proper turn');
  await expect(hint).toHaveCount(0);
});
