/**
 * Settings: validated beside each field, saved, kept across a restart of browser mode with the same data
 * directory. The API key is write-only: it never shows up in the page, the event log or the export.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startBrowserMode, type BrowserMode } from '../fixtures/app';
import { test } from '../fixtures/test';
import { startSimulator } from '../../src/main/core/simulator';
import { expect, exportLog, openApp, openSettings, replyAs, sendMessage, turn } from './helpers';

/** A key shaped like a real one, so any leak is unmistakable. */
const KEY = 'sk-e2e-Secret-5f1c9a7b2d4e6f8091a2b3c4d5e6f708';

base(
  'settings and the key survive a restart; the key never reaches the page or the log',
  async ({ page }) => {
    base.setTimeout(90_000);
    const sim = await startSimulator({ apiKey: KEY, audioPacing: 'fast' });
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-e2e-settings-'));
    let app: BrowserMode | undefined;
    try {
      app = await startBrowserMode({ dataDir });
      await openApp(page, app.url);
      await expect(page.getByRole('status', { name: 'Connection' })).toContainText(
        'Demo mode (local simulator)',
      );

      const dialog = await openSettings(page);
      await dialog.getByRole('radio', { name: 'Custom URL' }).check();
      await dialog.getByRole('textbox', { name: 'Server URL' }).fill(sim.url);
      await dialog.getByRole('combobox', { name: 'Voice' }).selectOption('cedar');
      await dialog.getByRole('textbox', { name: 'Session instructions' }).fill('You are terse.');
      await dialog.getByRole('spinbutton', { name: 'Stall timeout (seconds)' }).fill('15');
      await dialog.getByLabel('API key', { exact: true }).fill(KEY);
      // Plain Node has no keyring: the window explains it and asks before storing the key unencrypted.
      await expect(dialog).toContainText('no keyring');
      await dialog.getByRole('checkbox', { name: 'Store without encryption' }).check();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
      await expect(dialog.getByText('Saved (not encrypted)')).toBeVisible();
      await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue('');
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();

      // The simulator only accepts this key: a reply proves the key was used.
      const connection = page.getByRole('status', { name: 'Connection' });
      await expect(connection).toHaveText(/^Connected/);
      await expect(connection).not.toContainText('Demo mode');
      await expect(page.getByText('Demo mode: replies come from a local simulator')).toHaveCount(0);
      await replyAs(page, 'Text');
      await sendMessage(page, 'is the key used');
      await expect(turn(page, 1)).toContainText('Echo: is the key used');

      expect(await page.content()).not.toContain(KEY);
      const { text, entries } = await exportLog(page);
      const updates = entries.filter((e) => e.dir === 'out' && e.type === 'session.update');
      expect(JSON.stringify(updates.at(-1)?.payload)).toContain('You are terse.');
      expect(JSON.stringify(updates.at(-1)?.payload)).toContain('cedar');
      expect(text).not.toContain(KEY);
      // The rows that carry the session setup, expanded to their JSON in the inspector.
      const panel = page.getByRole('region', { name: 'Event log' });
      await panel.getByRole('searchbox', { name: 'Filter by type' }).fill('session.');
      const rows = panel.getByRole('listitem').getByRole('button', { expanded: false });
      const count = await rows.count();
      expect(count).toBeGreaterThan(1);
      for (let i = 0; i < count; i++) await rows.first().click();
      await expect(panel).toContainText('You are terse.');
      expect(await panel.innerText()).not.toContain(KEY);
      await app.stop();
      app = undefined;

      app = await startBrowserMode({ dataDir });
      await openApp(page, app.url);
      await expect(page.getByRole('status', { name: 'Connection' })).not.toContainText('Demo mode');
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await expect(dialog.getByRole('radio', { name: 'Custom URL' })).toBeChecked();
      await expect(dialog.getByRole('textbox', { name: 'Server URL' })).toHaveValue(sim.url);
      await expect(dialog.getByRole('combobox', { name: 'Voice' })).toHaveValue('cedar');
      await expect(dialog.getByRole('textbox', { name: 'Session instructions' })).toHaveValue(
        'You are terse.',
      );
      await expect(dialog.getByRole('spinbutton', { name: 'Stall timeout (seconds)' })).toHaveValue('15');
      await expect(dialog.getByLabel('API key', { exact: true })).toHaveValue('');
      await expect(dialog.getByText('Saved (not encrypted)')).toBeVisible();
      expect(await page.content()).not.toContain(KEY);

      // Remove key takes effect on Save, like every other change (issue 19); the window says so.
      await dialog.getByRole('button', { name: 'Remove key' }).click();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.getByText('No key saved')).toBeVisible();
    } finally {
      await app?.stop();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test('bad values are explained beside each field and nothing is saved until they are fixed', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  const opener = page.getByRole('button', { name: 'Settings', exact: true });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('radio', { name: 'Custom URL' }).check();
  const url = dialog.getByRole('textbox', { name: 'Server URL' });
  await url.fill('http://example.com');
  const hotkey = dialog.getByRole('textbox', { name: 'Hotkey', exact: true });
  await hotkey.fill('F99');
  const stall = dialog.getByRole('spinbutton', { name: 'Stall timeout (seconds)' });
  await stall.fill('1');
  await dialog.getByRole('button', { name: 'Save' }).click();

  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(url).toHaveAccessibleDescription(/Use a ws:\/\/ or wss:\/\/ URL/);
  await expect(hotkey).toHaveAccessibleDescription(/Use a key like F9 or Control\+Shift\+Space/);
  await expect(stall).toHaveAccessibleDescription(/At least 2 seconds/);
  await expect(dialog.getByText('Check the highlighted fields.')).toBeVisible();

  // Fixing a field clears its message.
  await url.fill('ws://127.0.0.1:9/v1/realtime');
  await expect(url).not.toHaveAttribute('aria-invalid', 'true');

  // Escape closes without saving and gives focus back to the Settings button.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  await opener.click();
  await expect(dialog.getByRole('radio', { name: 'Local simulator' })).toBeChecked();
  await expect(dialog.getByRole('textbox', { name: 'Hotkey', exact: true })).toHaveValue('F9');
});

test('the audio settings list devices with "System default" first and can test them', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  const dialog = await openSettings(page);
  const mic = dialog.getByRole('combobox', { name: 'Microphone' });
  await expect(mic.locator('option').first()).toHaveText('System default');
  await expect(dialog.getByRole('combobox', { name: 'Speaker' }).locator('option').first()).toHaveText(
    'System default',
  );
  await dialog.getByRole('button', { name: 'Test speaker' }).click();
  // Either the tone plays or the window says in plain words why it cannot.
  await expect(dialog.getByRole('status').filter({ hasText: /\w/ }).first()).toBeVisible();
});

test('the demo banner leads straight to the API key, and can be dismissed', async ({ page, app }) => {
  await openApp(page, app.url);
  const banner = page.getByRole('complementary', { name: 'Demo mode' });
  await expect(banner).toContainText(
    'Demo mode: replies come from a local simulator. Add your OpenAI or Azure key in Settings to talk to a real model.',
  );
  await banner.getByRole('button', { name: 'Add a key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByRole('radio', { name: 'OpenAI', exact: true })).toBeChecked();
  await expect(dialog.getByLabel('API key', { exact: true })).toBeFocused();
  // Nothing is saved by opening: closing keeps the simulator.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Demo mode (local simulator)');
  await banner.getByRole('button', { name: 'Dismiss demo notice' }).click();
  await expect(banner).toBeHidden();
});
