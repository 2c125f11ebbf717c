/**
 * "Capture screen" in browser mode: the page asks the browser for a screen (getDisplayMedia), grabs one frame and
 * shows it as a thumbnail before anything is sent. Chromium runs here with a fake capture device and the share
 * prompt accepted, so the test sees what a user who picked a screen would.
 */
import { fakeScreenShare } from '../fixtures/chromium';
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

test.use({ launchOptions: fakeScreenShare() });

test('Capture screen attaches one frame, shown before sending, and the reply describes it', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await page.getByRole('button', { name: 'Capture screen' }).click();
  const thumb = page
    .getByRole('list', { name: 'Attached images' })
    .getByRole('img', { name: 'Attached image' });
  await expect(thumb).toHaveCount(1);
  // Nothing went out yet: the capture waits for the user's turn.
  await expect(page.getByRole('log', { name: 'Conversation' }).getByRole('article')).toHaveCount(0);
  const size = await thumb.getAttribute('title');
  expect(size).toMatch(/^\d+×\d+$/);

  await sendMessage(page, 'what is on my screen?');
  await expect(turn(page, 1)).toContainText(`I see a ${size ?? ''} image, mostly rgb(`);
  await expect(turn(page, 1).getByRole('img', { name: `Sent image, ${size ?? ''}` })).toBeVisible();
});
