/**
 * Issue 19, notices: they expire when what they said no longer holds (notice.clear), the same words show once,
 * a dismissed notice stays dismissed after a reload, and no notice ever lies over the message box, Send, Push
 * to talk or the conversation header's buttons.
 */
import type { Locator, Page } from '@playwright/test';
import { test } from '../fixtures/test';
import { startSimulator } from '../../src/main/core/simulator';
import { expect, openApp, openSettings } from './helpers';

const notices = (page: Page): Locator => page.getByRole('status', { name: 'Notices' }).getByRole('listitem');

/** Saves provider settings through the dialog and closes it. */
async function saveProvider(page: Page, fill: (dialog: Locator) => Promise<void>): Promise<void> {
  const dialog = await openSettings(page);
  await fill(dialog);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(/^Saved/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

const azureWithoutKey = async (dialog: Locator): Promise<void> => {
  await dialog.getByRole('radio', { name: 'Azure OpenAI' }).check();
  await dialog.getByRole('textbox', { name: 'Azure resource' }).fill('my-resource');
  await dialog.getByRole('textbox', { name: 'Deployment' }).fill('gpt-realtime');
};

/** True when two boxes overlap. */
function overlaps(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('a warning that no longer holds goes away, and the same words show once', async ({ page, app }) => {
  const sim = await startSimulator({ audioPacing: 'fast' });
  try {
    await openApp(page, app.url);
    await saveProvider(page, azureWithoutKey);
    const warning = notices(page).filter({ hasText: /key/i });
    await expect(warning).toHaveCount(1);

    // The same broken settings saved again: still one notice, not two.
    await saveProvider(page, async (dialog) => {
      await dialog.getByRole('textbox', { name: 'Deployment' }).fill('gpt-realtime-2');
    });
    await expect(notices(page).filter({ hasText: /key/i })).toHaveCount(1);

    // Switching to a server that works: the Azure warning is retracted once connected.
    await saveProvider(page, async (dialog) => {
      await dialog.getByRole('radio', { name: 'Custom URL' }).check();
      await dialog.getByRole('textbox', { name: 'Server URL' }).fill(sim.url);
    });
    await expect(page.getByRole('status', { name: 'Connection' })).toHaveText(/^Connected/);
    await expect(notices(page).filter({ hasText: /key/i })).toHaveCount(0);
    const texts = await notices(page).allInnerTexts();
    expect(new Set(texts).size).toBe(texts.length);
  } finally {
    await sim.close();
  }
});

test('a dismissed notice stays dismissed after a reload', async ({ page, app }) => {
  await openApp(page, app.url);
  await saveProvider(page, azureWithoutKey);
  const warning = notices(page).filter({ hasText: /key/i });
  await expect(warning).toHaveCount(1);
  await warning.getByRole('button', { name: 'Dismiss notice' }).click();
  await expect(warning).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Talk' })).toBeVisible();
  // Main still holds the warning (the settings are still incomplete): the window remembers it was dismissed.
  await page.waitForTimeout(500);
  await expect(notices(page).filter({ hasText: /key/i })).toHaveCount(0);
});

for (const size of [
  { width: 640, height: 480 },
  { width: 1280, height: 800 },
]) {
  test(`notices never cover the controls at ${size.width}×${size.height}`, async ({ page, app }) => {
    await page.setViewportSize(size);
    await openApp(page, app.url);
    await saveProvider(page, azureWithoutKey);
    // More notices: a conversation exported and one deleted (with Undo), beside the settings warning.
    await page.getByRole('textbox', { name: 'Message' }).fill('a message so there is something to export');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await expect(page.getByRole('log', { name: 'Conversation' })).toContainText('a message so there is');
    await page.getByRole('button', { name: 'Export conversation' }).click();
    await page.getByRole('button', { name: 'Delete conversation' }).click();
    await expect.poll(() => notices(page).count()).toBeGreaterThanOrEqual(3);
    const controls = [
      page.getByRole('textbox', { name: 'Message' }),
      page.getByRole('region', { name: 'Talk' }).getByRole('button', { name: 'Send', exact: true }),
      page.getByRole('button', { name: 'Push to talk' }),
      page.getByRole('button', { name: 'Rename conversation' }),
      page.getByRole('button', { name: 'Export conversation' }),
      page.getByRole('button', { name: 'Delete conversation' }),
    ];
    for (const control of controls) await expect(control).toBeInViewport();
    // What of each notice is drawn: the notices scroll within their band, so a notice below it is clipped.
    const boxes = await notices(page).evaluateAll((items) =>
      items.map((item) => {
        const r = item.getBoundingClientRect();
        const band = item.closest('.toasts')!.getBoundingClientRect();
        const top = Math.max(r.top, band.top);
        const bottom = Math.min(r.bottom, band.bottom);
        return { x: r.x, y: top, width: r.width, height: Math.max(0, bottom - top) };
      }),
    );
    for (const control of controls) {
      const box = await control.boundingBox();
      expect(box).not.toBeNull();
      for (const notice of boxes)
        expect(overlaps(notice, box!), `a notice covers ${String(control)}`).toBe(false);
    }
  });
}
