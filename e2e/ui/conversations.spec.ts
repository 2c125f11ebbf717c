/**
 * The three things a new user saw go wrong, in the real window against browser mode: Retry on an earlier
 * failed turn answered a later message; switching provider sent the whole conversation to the new server
 * (first without its key); a restart lost the conversation. Servers here are the GA simulator on 127.0.0.1,
 * which records every connection's headers (names only) and events.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Locator, type Page } from '@playwright/test';
import { startBrowserMode, type BrowserMode } from '../fixtures/app';
import { startSimulator } from '../../src/main/core/simulator';
import { expect, openApp, openSettings, replyAs, sendMessage, simTest, turn } from './helpers';

/** A key shaped like a real one. */
const KEY = 'sk-e2e-Switch-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

const conversationsNav = (page: Page): Locator => page.getByRole('navigation', { name: 'Conversations' });

simTest(
  'Retry on an earlier failed turn shows the reply to its own message, under that turn',
  async ({ page, app, sim }) => {
    await openApp(page, app.url);
    await replyAs(page, 'Text');
    sim.setFaults(['server-error']);
    await sendMessage(page, 'What is the capital of France?');
    const first = turn(page, 1);
    await expect(first.getByRole('alert')).toContainText('server_error');
    await sendMessage(page, 'What is 2+2?');
    await expect(turn(page, 2)).toContainText('Echo: What is 2+2?');

    await first.getByRole('button', { name: 'Retry' }).click();
    await expect(first).toContainText('Echo: What is the capital of France?');
    await expect(first).toContainText('Completed');
    await expect(first).not.toContainText('Echo: What is 2+2?');
    await expect(turn(page, 2)).toContainText('Echo: What is 2+2?');
    await expect(turn(page, 2)).not.toContainText('capital');
  },
);

base(
  'switching provider sends none of the old conversation to the new server unless the user continues it there',
  async ({ page }) => {
    base.setTimeout(90_000);
    const logging = await startSimulator({ audioPacing: 'fast' });
    let app: BrowserMode | undefined;
    try {
      app = await startBrowserMode();
      await openApp(page, app.url);
      await replyAs(page, 'Text');
      await sendMessage(page, 'my secret plan');
      await expect(turn(page, 1)).toContainText('Echo: my secret plan');

      const dialog = await openSettings(page);
      await dialog.getByRole('radio', { name: 'Custom URL' }).check();
      await dialog.getByRole('textbox', { name: 'Server URL' }).fill(logging.url);
      await dialog.getByLabel('API key', { exact: true }).fill(KEY);
      await dialog.getByRole('checkbox', { name: 'Store without encryption' }).check();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect(dialog.getByText('Saved', { exact: true })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();

      const connection = page.getByRole('status', { name: 'Connection' });
      await expect(connection).toHaveText(/^Connected/);
      await expect(connection).not.toContainText('Demo mode');
      // A new conversation started by itself; the old one is still listed.
      await expect(page.getByRole('log', { name: 'Conversation' })).not.toContainText('my secret plan');
      await expect(conversationsNav(page).getByRole('button', { name: 'my secret plan' })).toBeVisible();
      const continueHere = page.getByRole('button', { name: 'Continue here' });
      await expect(continueHere).toBeVisible();

      await sendMessage(page, 'hello new server');
      await expect(turn(page, 1)).toContainText('Echo: hello new server');
      // Every connection to the new server had its key from the first byte, and none heard the old conversation.
      expect(logging.requests.length).toBeGreaterThan(0);
      for (const request of logging.requests) expect(request.hasAuthorization).toBe(true);
      const heard = JSON.stringify(logging.received.map((r) => r.event));
      expect(heard).not.toContain('my secret plan');

      // The user chooses to carry it over: now (and only now) its history goes there.
      const before = logging.requests.length;
      await continueHere.click();
      await expect(page.getByRole('log', { name: 'Conversation' })).toContainText('my secret plan');
      await expect
        .poll(() => JSON.stringify(logging.requests.slice(before).map((r) => r.received.map((e) => e.event))))
        .toContain('Echo: my secret plan');
      for (const request of logging.requests) expect(request.hasAuthorization).toBe(true);
    } finally {
      const code = await app?.stop();
      await logging.close();
      expect(code ?? 0).toBe(0);
    }
  },
);

base(
  'after a restart with the same data folder the conversation, its turns and their outcomes are there, and it continues',
  async ({ page }) => {
    base.setTimeout(90_000);
    const sim = await startSimulator({ audioPacing: 'fast' });
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-e2e-restart-'));
    let app: BrowserMode | undefined;
    try {
      app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url } });
      await openApp(page, app.url);
      await replyAs(page, 'Text');
      sim.setFaults(['server-error']);
      await sendMessage(page, 'first question');
      await expect(turn(page, 1).getByRole('alert')).toContainText('server_error');
      await sendMessage(page, 'second question');
      await expect(turn(page, 2)).toContainText('Echo: second question');
      expect(await app.stop()).toBe(0);

      app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url } });
      await openApp(page, app.url);
      await expect(turn(page, 1)).toContainText('first question');
      await expect(turn(page, 1).getByRole('alert')).toContainText('server_error');
      await expect(turn(page, 2)).toContainText('Echo: second question');
      await expect(turn(page, 2)).toContainText('Completed');
      await expect(conversationsNav(page).getByRole('button', { name: 'first question' })).toHaveAttribute(
        'aria-current',
        /true|page/,
      );

      await replyAs(page, 'Text');
      await sendMessage(page, 'third question');
      await expect(turn(page, 3)).toContainText('Echo: third question');
      await turn(page, 1).getByRole('button', { name: 'Retry' }).click();
      await expect(turn(page, 1)).toContainText('Echo: first question');
      // The new session was told the answered turns of this conversation.
      const heard = JSON.stringify(sim.requests.at(-1)?.received.map((r) => r.event));
      expect(heard).toContain('Echo: second question');
    } finally {
      const code = await app?.stop();
      await sim.close();
      expect(code ?? 0).toBe(0);
    }
  },
);
