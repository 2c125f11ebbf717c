/**
 * Issue 19, the visual check: the main states at 800×600, 1280×800 and 1920×1080, light and dark, saved under
 * test-results/screenshots/ for a person to look at. Each state is asserted before it is shot; the pictures
 * themselves are not compared (fonts differ between machines), they are read.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from '../fixtures/app';
import { expect, openApp, openSettings, replyAs, sendMessage, simTest as test, turn } from './helpers';

const DIR = join(ROOT, 'test-results/screenshots');
const SIZES = [
  { width: 800, height: 600 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];
const SCHEMES = ['light', 'dark'] as const;

/** Shoots the current state at every size and scheme. */
async function shootAll(page: Page, state: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.waitForTimeout(120);
      await page.screenshot({ path: join(DIR, `${state}-${size.width}x${size.height}-${scheme}.png`) });
    }
  }
}

const REPLY = [
  'Here is a plan',
  '## Steps',
  '',
  '1. Fill the kettle',
  '2. Boil the water',
  '',
  '| tea | minutes |',
  '|---|---|',
  '| green | 2 |',
  '| black | 4 |',
  '',
  '```python',
  'def brew(minutes):',
  '    return f"steep for {minutes} min"',
  '```',
  '',
  'More at [the tea guide](https://example.com/tea).',
].join('\n');

test('screenshots of the main states, light and dark, at three sizes', async ({ page, app, sim }) => {
  test.setTimeout(120_000);
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, REPLY);
  await expect(turn(page, 1)).toContainText('Completed');
  await replyAs(page, 'Voice');
  await sendMessage(page, 'Say hello out loud');
  await expect(turn(page, 2)).toContainText('Completed');
  await replyAs(page, 'Text');
  sim.setFaults(['server-error']);
  await sendMessage(page, 'This one fails');
  await expect(turn(page, 3).getByRole('alert')).toBeVisible();
  await page.getByRole('button', { name: 'Export conversation' }).click();
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('Saved');
  await shootAll(page, '1-conversation');

  await page.getByRole('button', { name: 'Event log', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Event log' })).toContainText('response.create');
  await shootAll(page, '2-event-log');
  await page.getByRole('button', { name: 'Event log', exact: true }).click();

  const dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'Azure OpenAI' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Check the highlighted fields.')).toBeVisible();
  await shootAll(page, '3-settings-invalid');
});
