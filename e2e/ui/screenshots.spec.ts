/**
 * Screenshots of the main states for review and the README: artifacts/screenshots/*.png, and one copied
 * to docs/screenshot.png (with UPDATE_README_SCREENSHOT=1). Each shot first asserts the state it claims to show.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from '../fixtures/app';
import { test } from '../fixtures/test';
import { expect, openApp, openSettings, replyAs, sendMessage, simTest, turn } from './helpers';

const DIR = join(ROOT, 'artifacts/screenshots');

async function shoot(page: Page, name: string): Promise<string> {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `${name}.png`);
  // Let entrance animations and the level meter settle.
  await page.waitForTimeout(300);
  await page.screenshot({ path });
  return path;
}

test.use({ viewport: { width: 1280, height: 800 } });
simTest.use({ viewport: { width: 1280, height: 800 } });

test('idle in demo mode, and the settings dialog', async ({ page, app }) => {
  await openApp(page, app.url);
  await expect(page.getByText('Demo mode: replies come from a local simulator')).toBeVisible();
  await shoot(page, '1-idle-demo');

  const dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'Azure OpenAI' }).check();
  await dialog.getByRole('textbox', { name: 'Azure resource' }).fill('my-resource');
  await dialog.getByRole('textbox', { name: 'Deployment' }).fill('gpt-realtime');
  await expect(dialog.getByText('no keyring')).toBeVisible();
  await shoot(page, '4-settings-dialog');
});

test('idle in dark mode', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, app.url);
  await shoot(page, '6-idle-dark');
});

simTest('a conversation with replies, a failed turn, and the event log', async ({ page, app, sim }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, 'What can you do?');
  await expect(turn(page, 1)).toContainText('Completed');
  await replyAs(page, 'Voice');
  await page.getByRole('textbox', { name: 'Instructions for this turn' }).fill('Answer in one sentence');
  await sendMessage(page, 'Tell me something about the sea');
  await expect(turn(page, 2)).toContainText('Completed');
  await page.getByRole('textbox', { name: 'Instructions for this turn' }).fill('');
  await replyAs(page, 'Text');
  await sendMessage(page, 'And about mountains?');
  await expect(turn(page, 3)).toContainText('Completed');
  await shoot(page, '2-conversation');

  sim.setFaults(['server-error']);
  await sendMessage(page, 'One more thing');
  await expect(turn(page, 4).getByRole('alert')).toContainText('server_error');
  await shoot(page, '3-failed-turn');

  await page.getByRole('button', { name: 'Event log', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Event log' });
  const created = panel.getByRole('button', { name: /response\.create$/ }).last();
  await created.click();
  await expect(panel).toContainText('output_modalities');
  await shoot(page, '5-event-log');

  await turn(page, 4).getByRole('button', { name: 'Retry' }).click();
  await expect(turn(page, 4)).toContainText('Completed');
  await panel.getByRole('button', { expanded: true }).click();
  await expect(panel.getByRole('button', { expanded: true })).toHaveCount(0);
  await page.mouse.move(0, 400);
  await panel.locator('.log-scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const shot = await shoot(page, '7-conversation-with-log');
  // The README's picture is refreshed on request only, so a test run leaves the tree clean.
  if (process.env.UPDATE_README_SCREENSHOT === '1') {
    const docs = join(ROOT, 'docs');
    mkdirSync(docs, { recursive: true });
    copyFileSync(shot, join(docs, 'screenshot.png'));
  }
});
