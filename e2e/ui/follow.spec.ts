/**
 * Issue 19, "The view does not follow new messages…": at the bottom the conversation follows a reply as it
 * arrives; scrolled up, it stays where the user is reading and offers "Jump to latest".
 */
import type { Locator } from '@playwright/test';
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

test.use({ viewport: { width: 800, height: 600 } });

const distanceFromBottom = (scroller: Locator): Promise<number> =>
  scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);

test('follows new text at the bottom; scrolled up it stays put and offers Jump to latest', async ({
  page,
  app,
  sim,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  const scroller = page.locator('.conversation');
  for (let i = 1; i <= 5; i++) {
    await sendMessage(page, `message number ${i} with a few words to take some room in the window`);
    await expect(turn(page, i)).toContainText('Completed');
  }
  expect(await scroller.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  // At the bottom: the newest reply is in view, and stays so while it arrives.
  expect(await distanceFromBottom(scroller)).toBeLessThan(48);
  await expect(page.getByRole('button', { name: 'Jump to latest' })).toHaveCount(0);

  sim.setFaults([{ kind: 'slow-first-delta', ms: 1500 }]);
  await sendMessage(page, 'a reply that takes a moment');
  await expect(turn(page, 6)).toContainText('Waiting for reply…');
  // The user scrolls up to read an earlier turn while the reply is on its way.
  await scroller.hover();
  await page.mouse.wheel(0, -2000);
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeLessThan(50);
  const readingAt = await scroller.evaluate((el) => el.scrollTop);
  await expect(turn(page, 6)).toContainText('Completed');
  // Still where they were reading, with a way back down.
  expect(await scroller.evaluate((el) => el.scrollTop)).toBe(readingAt);
  const jump = page.getByRole('button', { name: 'Jump to latest' });
  await expect(jump).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeInViewport();
  await jump.click();
  await expect.poll(() => distanceFromBottom(scroller)).toBeLessThan(48);
  await expect(jump).toHaveCount(0);
  await expect(turn(page, 6).getByText('Echo: a reply that takes a moment')).toBeInViewport();
});
