/**
 * Issue 19, "When the browser-mode server stops…": the page says "Lost connection to Talkie", a turn in flight
 * stops claiming "Replying…", Send says why it is off, and when browser mode comes back (restarted with the same
 * --data-dir, so the same page URL is valid again) the page reconnects by itself, reloads, and a turn works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { startBrowserMode, type BrowserMode } from '../fixtures/app';
import { startSimulator } from '../../src/main/core/simulator';
import { expect, openApp, replyAs, sendMessage, turn } from './helpers';

test('a stopped browser mode shows "Lost connection to Talkie"; restarted with the same data dir, the page recovers', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const sim = await startSimulator({ audioPacing: 'fast' });
  const dataDir = mkdtempSync(join(tmpdir(), 'talkie-e2e-lost-'));
  let app: BrowserMode | undefined;
  try {
    app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url } });
    const port = new URL(app.url).port;
    await openApp(page, app.url);
    await replyAs(page, 'Text');
    await sendMessage(page, 'before the stop');
    await expect(turn(page, 1)).toContainText('Completed');

    // A reply that never comes: the turn is in flight when browser mode stops.
    sim.setFaults(['stall']);
    await sendMessage(page, 'in flight');
    await expect(turn(page, 2)).toContainText(/Waiting for reply…|Replying…/);
    await app.stop();
    app = undefined;

    const connection = page.getByRole('status', { name: 'Connection' });
    await expect(connection).toContainText('Lost connection to Talkie');
    await expect(connection).not.toContainText(/^Connected/);
    await expect(turn(page, 2)).not.toContainText(/Waiting for reply…|Replying…/);
    await expect(turn(page, 2)).toContainText('lost connection to Talkie');
    await expect(page.getByText('Lost connection to Talkie').first()).toBeVisible();
    const send = page
      .getByRole('region', { name: 'Talk' })
      .getByRole('button', { name: 'Send', exact: true });
    await expect(send).toBeDisabled();
    await expect(send).toHaveAccessibleDescription(/Talkie is reachable again/);
    // Typing is still possible; the text waits in the box.
    await page.getByRole('textbox', { name: 'Message' }).fill('after the restart');

    sim.setFaults([]);
    app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url }, args: ['--port', port] });
    expect(new URL(app.url).port).toBe(port);
    // No reload, no new URL: the page finds Talkie again by itself.
    await expect(connection).toHaveText(/^Connected/, { timeout: 20_000 });
    await expect(send).toBeEnabled();
    await expect(turn(page, 1)).toContainText('Echo: before the stop');
    await expect(turn(page, 2)).not.toContainText('lost connection to Talkie');
    // Main settled the turn that was in flight when it stopped: Send or Discard it.
    await expect(turn(page, 2)).toContainText('Not sent');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await expect(turn(page, 3)).toContainText('Echo: after the restart');
    await expect(turn(page, 3)).toContainText('Completed');
    // The event log is the restarted Talkie's, not a mix with the old one's numbering.
    await page.getByRole('button', { name: 'Event log', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Event log' })).toContainText('session.created');
  } finally {
    await app?.stop();
    await sim.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
