/**
 * Issue 19, the event log panel: a long type name cut to fit has its full name as a tooltip and keeps its ×N
 * count in view, the panel is resized by dragging or with the keyboard, the count always speaks of events, and
 * the export confirmation is shown whole.
 */
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

test.use({ viewport: { width: 1280, height: 800 } });

test('the log panel: tooltips and counts on cut types, resizing, one count wording, the whole export message', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, 'a reply with several words streamed one by one');
  await expect(turn(page, 1)).toContainText('Completed');
  await page.getByRole('button', { name: 'Event log', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Event log' });

  // The narrowest panel cuts long type names: the full name is the tooltip and the fold count stays visible.
  const handle = panel.getByRole('separator', { name: 'Resize event log' });
  await handle.focus();
  await page.keyboard.press('Home');
  await expect(handle).toHaveAttribute('aria-valuenow', '300');
  const folded = panel.locator('.log-type').filter({ hasText: /×\d+/ }).first();
  await expect(folded).toHaveAttribute('title', 'response.output_text.delta');
  await expect(folded.locator('.log-type-count')).toBeInViewport();
  const count = folded.locator('.log-type-count');
  const countBox = (await count.boundingBox())!;
  const rowBox = (await folded.boundingBox())!;
  expect(countBox.x + countBox.width).toBeLessThanOrEqual(rowBox.x + rowBox.width + 1);

  // Resizing: arrow keys widen and narrow it, and dragging the handle does too; the width is kept on reload.
  const width = async (): Promise<number> => (await panel.boundingBox())!.width;
  const narrow = await width();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  expect(await width()).toBeGreaterThan(narrow + 40);
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x - 150, box.y + 200, { steps: 5 });
  await page.mouse.up();
  const dragged = await width();
  expect(dragged).toBeGreaterThan(narrow + 150);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Event log' })).toBeVisible();
  expect(Math.abs((await width()) - dragged)).toBeLessThan(4);

  // One wording: "N events", and "M of N events" while filtering.
  const counter = panel.locator('.log-count');
  await expect(counter).toHaveText(/^[\d,]+ events$/);
  await panel.getByRole('searchbox', { name: 'Filter by type' }).fill('response.create');
  await expect(counter).toHaveText(/^\d+ of [\d,]+ events$/);
  await panel.getByRole('searchbox', { name: 'Filter by type' }).fill('');

  // The export confirmation names the whole file, not "Saved talkie-…".
  await handle.focus();
  await page.keyboard.press('Home');
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export log' }).click();
  const name = (await download).suggestedFilename();
  const status = panel.getByRole('status');
  await expect(status).toHaveText(`Saved ${name}`);
  expect(await status.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  const statusBox = (await status.boundingBox())!;
  const panelBox = (await panel.boundingBox())!;
  expect(statusBox.x + statusBox.width).toBeLessThanOrEqual(panelBox.x + panelBox.width + 1);
});
