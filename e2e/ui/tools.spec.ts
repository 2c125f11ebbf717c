/**
 * Tools the user can see and approve, in the real window against browser mode (its built-in simulator asks for
 * them): the approval card, Allow once / Deny, "Always allow" kept across a restart, and every call shown on its
 * turn with the tool's name.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { startBrowserMode, type BrowserMode } from '../fixtures/app';
import { test } from '../fixtures/test';
import { expect, openApp, replyAs, sendMessage, turn } from './helpers';

/** A page on 127.0.0.1 for the tool to open (there is no network here). */
const site = createServer((_req, res) => res.end('opened'));
let SITE = '';
base.beforeAll(async () => {
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  SITE = `http://127.0.0.1:${(site.address() as AddressInfo).port}/opened`;
});
base.afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));
const open = (): string => `call open_url with {"url":"${SITE}"}`;

/** Waits for the new tab a tool opens; resolves with its address once loaded. */
async function nextTab(page: Page): Promise<string> {
  const tab = await page.context().waitForEvent('page');
  await tab.waitForLoadState();
  return tab.url();
}

test('a tool that needs approval asks first; Allow once runs it and the reply uses the result', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, open());
  const card = turn(page, 1).getByRole('group', { name: 'Tool approval' });
  await expect(card).toContainText('open_url');
  await expect(card).toContainText(SITE);
  const tab = nextTab(page);
  await card.getByRole('button', { name: 'Allow once' }).click();
  expect(await tab).toBe(SITE);
  await expect(turn(page, 1)).toContainText('The open_url tool returned');
  await expect(turn(page, 1)).toContainText('Completed');
  await expect(turn(page, 1).getByRole('list', { name: 'Tool calls' })).toContainText('open_url');
  await expect(card).toHaveCount(0);
});

test('Deny: nothing opens, and the reply says the user declined', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  let opened = false;
  page.context().on('page', () => (opened = true));
  await sendMessage(page, open());
  await turn(page, 1)
    .getByRole('group', { name: 'Tool approval' })
    .getByRole('button', { name: 'Deny' })
    .click();
  await expect(turn(page, 1)).toContainText('The user declined to run this tool.');
  await expect(turn(page, 1).getByRole('list', { name: 'Tool calls' })).toContainText('Declined');
  expect(opened).toBe(false);
});

test('a tool that needs no approval just runs, and shows on its turn', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, 'what time is it');
  await expect(turn(page, 1)).toContainText('The get_current_time tool returned');
  const calls = turn(page, 1).getByRole('list', { name: 'Tool calls' });
  await expect(calls).toContainText('get_current_time');
  await expect(calls).toContainText('Done');
  await expect(turn(page, 1).getByRole('group', { name: 'Tool approval' })).toHaveCount(0);
});

base('"Always allow" is kept across a restart', async ({ page }) => {
  base.setTimeout(90_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'talkie-e2e-tools-'));
  let app: BrowserMode | undefined;
  try {
    app = await startBrowserMode({ dataDir });
    await openApp(page, app.url);
    await replyAs(page, 'Text');
    await sendMessage(page, open());
    const tab = nextTab(page);
    await turn(page, 1)
      .getByRole('group', { name: 'Tool approval' })
      .getByRole('button', { name: 'Always allow' })
      .click();
    await tab;
    await expect(turn(page, 1)).toContainText('The open_url tool returned');
    expect(await app.stop()).toBe(0);

    app = await startBrowserMode({ dataDir });
    await openApp(page, app.url);
    await replyAs(page, 'Text');
    const again = nextTab(page);
    await sendMessage(page, open());
    expect(await again).toBe(SITE);
    await expect(turn(page, 2)).toContainText('The open_url tool returned');
    await expect(turn(page, 2).getByRole('group', { name: 'Tool approval' })).toHaveCount(0);
  } finally {
    const code = await app?.stop();
    expect(code ?? 0).toBe(0);
  }
});
