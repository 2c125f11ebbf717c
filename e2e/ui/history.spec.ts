/**
 * Conversations that last: the Conversations list (new, switch, search, rename, delete with Undo), Copy reply,
 * Export conversation as Markdown, turns left unsent by a restart, and the layout from 640×480 up.
 * Everything is found by role and accessible name.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startBrowserMode, type BrowserMode } from '../fixtures/app';
import { startSimulator } from '../../src/main/core/simulator';
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

// Read back in the page; the Node tsconfig has no DOM library, so declare what the callbacks touch.
declare const navigator: { clipboard: { readText(): Promise<string> } };

const panel = (page: Page): Locator => page.getByRole('navigation', { name: 'Conversations' });

/** A conversation in the list, by (part of) its title. */
const entry = (page: Page, title: string | RegExp): Locator =>
  panel(page).getByRole('listitem').getByRole('button', { name: title });

/**
 * The "New conversation" button. An untitled conversation in the list is called "New conversation" too, so
 * the button is told apart by the keyboard shortcut it announces.
 */
const newButton = (page: Page): Locator =>
  panel(page)
    .getByRole('button', { name: 'New conversation', exact: true })
    .and(page.locator('[aria-keyshortcuts]'));

const turns = (page: Page): Locator => page.getByRole('log', { name: 'Conversation' }).getByRole('article');

/** Sends a typed message and waits for the simulator's whole reply. */
async function say(page: Page, text: string, index: number): Promise<void> {
  await sendMessage(page, text);
  await expect(turn(page, index)).toContainText(`Echo: ${text}`);
  await expect(turn(page, index)).toContainText('Completed');
}

test('New conversation and Ctrl+N start empty conversations; earlier ones stay listed and open again', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await say(page, 'Penguins: how do they stay warm', 1);
  const penguins = entry(page, /Penguins/);
  await expect(penguins).toHaveAttribute('aria-current', 'true');

  await newButton(page).click();
  await expect(turns(page)).toHaveCount(0);
  await expect(page.getByText('Ready when you are')).toBeVisible();
  await expect(penguins).toBeVisible();
  await expect(penguins).not.toHaveAttribute('aria-current', 'true');

  await say(page, 'Walruses: what do they eat', 1);
  const walruses = entry(page, /Walruses/);
  await expect(walruses).toHaveAttribute('aria-current', 'true');

  // Ctrl+N works from the message box too (it has no text-editing meaning there), and from the page.
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.focus();
  await page.keyboard.press('Control+n');
  await expect(turns(page)).toHaveCount(0);
  await expect(walruses).not.toHaveAttribute('aria-current', 'true');
  await expect(penguins).toBeVisible();
  await say(page, 'Seals: can they sleep underwater', 1);
  await page.getByRole('heading', { level: 2 }).first().click();
  await page.keyboard.press('Control+n');
  await expect(turns(page)).toHaveCount(0);
  await expect(entry(page, /Seals/)).not.toHaveAttribute('aria-current', 'true');

  // Newest first.
  const names = await panel(page).getByRole('listitem').getByRole('button').allTextContents();
  const order = ['Seals', 'Walruses', 'Penguins'].map((word) => names.findIndex((n) => n.includes(word)));
  expect(order).toEqual([...order].sort((a, b) => a - b));

  await penguins.click();
  await expect(penguins).toHaveAttribute('aria-current', 'true');
  await expect(turns(page)).toHaveCount(1);
  await expect(turn(page, 1)).toContainText('Penguins: how do they stay warm');
  await expect(turn(page, 1)).toContainText('Echo: Penguins: how do they stay warm');
  await walruses.click();
  await expect(turns(page)).toHaveCount(1);
  await expect(turn(page, 1)).toContainText('Echo: Walruses: what do they eat');

  // Talking continues the conversation that is open.
  await say(page, 'And seals?', 2);
  await penguins.click();
  await expect(turns(page)).toHaveCount(1);
  await walruses.click();
  await expect(turns(page)).toHaveCount(2);
});

test('search finds a word that only a reply contains, and marks it in the snippet', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  // The simulator repeats per-turn instructions in its reply: "narwhal" is in the reply, not the message.
  await page.getByRole('textbox', { name: 'Instructions for this turn' }).fill('Mention a narwhal');
  await say(page, 'Tell me about whales', 1);
  await expect(turn(page, 1).locator('.bubble-assistant')).toContainText('narwhal');
  await newButton(page).click();
  await say(page, 'Tell me about clams', 1);

  const search = panel(page).getByRole('searchbox', { name: 'Search conversations' });
  await search.fill('narwhal');
  await expect(panel(page).getByRole('status')).toHaveText('1 conversation found');
  const hits = panel(page).getByRole('listitem');
  await expect(hits).toHaveCount(1);
  await expect(hits.getByRole('button', { name: /whales/ })).toBeVisible();
  await expect(hits.locator('mark').first()).toHaveText(/narwhal/i);

  await search.fill('clams');
  await expect(hits).toHaveCount(1);
  await expect(hits.getByRole('button', { name: /clams/ })).toBeVisible();

  await search.fill('zebrafinch');
  await expect(panel(page).getByRole('status')).toHaveText('No conversations match “zebrafinch”');
  await expect(hits).toHaveCount(0);

  // A hit opens its conversation; Escape empties the search and the whole list is back.
  await search.fill('narwhal');
  await hits.getByRole('button', { name: /whales/ }).click();
  await expect(turn(page, 1)).toContainText('Tell me about whales');
  await search.focus();
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await expect(entry(page, /whales/)).toBeVisible();
  await expect(entry(page, /clams/)).toBeVisible();
});

test('rename in place: Enter saves, Escape cancels, and the name is kept', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await say(page, 'Plan a trip to Lisbon', 1);

  const rename = page.getByRole('button', { name: 'Rename conversation' });
  await rename.click();
  const field = page.getByRole('textbox', { name: 'Conversation name' });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(/Lisbon/);
  await field.fill('Lisbon trip');
  await field.press('Enter');
  await expect(page.getByRole('heading', { name: 'Lisbon trip', level: 2 })).toBeVisible();
  await expect(entry(page, 'Lisbon trip')).toHaveAttribute('aria-current', 'true');
  await expect(rename).toBeFocused();

  await rename.click();
  await field.fill('Something else');
  await field.press('Escape');
  await expect(field).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Lisbon trip', level: 2 })).toBeVisible();

  // An empty name is refused with the reason, and the edit stays open.
  await rename.click();
  await field.fill('   ');
  await field.press('Enter');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription('Give it a name');
  await field.press('Escape');

  await page.reload();
  await expect(entry(page, 'Lisbon trip')).toHaveAttribute('aria-current', 'true');
});

test('Delete conversation removes it from the list, and Undo brings it back', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await say(page, 'Penguins: how do they stay warm', 1);
  await newButton(page).click();
  await say(page, 'Walruses: what do they eat', 1);
  await entry(page, /Penguins/).click();
  await expect(turn(page, 1)).toContainText('Penguins');

  await page.getByRole('button', { name: 'Delete conversation' }).click();
  await expect(entry(page, /Penguins/)).toHaveCount(0);
  await expect(entry(page, /Walruses/)).toBeVisible();
  // The deleted conversation is no longer shown.
  await expect(turns(page)).toHaveCount(0);
  const notice = page
    .getByRole('status', { name: 'Notices' })
    .getByRole('listitem')
    .filter({ hasText: 'Deleted' });
  await expect(notice).toContainText('Penguins');

  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(notice).toBeHidden();
  await expect(entry(page, /Penguins/)).toHaveAttribute('aria-current', 'true');
  await expect(turn(page, 1)).toContainText('Echo: Penguins: how do they stay warm');
  await expect(entry(page, /Walruses/)).toBeVisible();
});

test('Copy reply puts the reply on the clipboard', async ({ page, app, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await say(page, 'copy me please', 1);

  await turn(page, 1).getByRole('button', { name: 'Copy reply' }).click();
  await expect(turn(page, 1).getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Echo: copy me please');
  // "Copied" is brief.
  await expect(turn(page, 1).getByRole('button', { name: 'Copy reply' })).toBeVisible({ timeout: 5000 });
});

test('Export conversation saves a Markdown file with the messages and replies', async ({ page, app }) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await say(page, 'First question', 1);
  await say(page, 'Second question', 2);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export conversation' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.md$/);
  const text = readFileSync(await file.path(), 'utf8');
  for (const words of ['First question', 'Echo: First question', 'Second question', 'Echo: Second question'])
    expect(text).toContain(words);
  expect(text.indexOf('First question')).toBeLessThan(text.indexOf('Second question'));
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText(file.suggestedFilename());
});

test('at 640×480 the list is a drawer and the conversation keeps room to be read', async ({ page, app }) => {
  await page.setViewportSize({ width: 640, height: 480 });
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await say(page, 'Small window', 1);

  const toggle = page.getByRole('button', { name: 'Conversations' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(panel(page)).toHaveCount(0);
  const log = page.getByRole('log', { name: 'Conversation' });
  expect((await log.boundingBox())?.height ?? 0).toBeGreaterThan(80);
  for (const control of [
    page.getByRole('textbox', { name: 'Message' }),
    page.getByRole('button', { name: 'Push to talk' }),
    page.getByRole('button', { name: 'Send', exact: true }),
  ]) {
    await expect(control).toBeInViewport();
  }

  await toggle.click();
  await expect(panel(page)).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await newButton(page).click();
  // Choosing closes the drawer.
  await expect(panel(page)).toHaveCount(0);
  await expect(turns(page)).toHaveCount(0);
  await toggle.click();
  await entry(page, /Small window/).click();
  await expect(panel(page)).toHaveCount(0);
  await expect(turn(page, 1)).toContainText('Echo: Small window');
  // Escape closes it too, back to the toggle.
  await toggle.click();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(toggle).toBeFocused();
});

test.describe('turns left unsent when Talkie closed', () => {
  test.setTimeout(90_000);

  for (const choice of ['Send', 'Discard'] as const) {
    test(`show why, and ${choice} ${choice === 'Send' ? 'gets the reply' : 'removes the turn'}`, async ({
      page,
    }) => {
      const sim = await startSimulator({ audioPacing: 'fast' });
      const dataDir = mkdtempSync(join(tmpdir(), 'talkie-e2e-unsent-'));
      let app: BrowserMode | undefined;
      try {
        app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url } });
        await openApp(page, app.url);
        await replyAs(page, 'Text');
        await say(page, 'answered before', 1);
        // The server goes quiet: the next message waits for a reply when Talkie quits.
        sim.setFaults(['stall']);
        await sendMessage(page, 'never answered');
        await expect(turn(page, 2)).toContainText('never answered');
        await app.stop();
        app = undefined;

        sim.setFaults([]);
        app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url } });
        await openApp(page, app.url);
        const unsent = turn(page, 2);
        await expect(unsent).toContainText('Not sent — Talkie closed before this was answered');
        await expect(unsent.getByRole('button', { name: 'Send', exact: true })).toHaveAccessibleDescription(
          /Not sent/,
        );
        await unsent.getByRole('button', { name: choice, exact: true }).click();
        if (choice === 'Send') {
          await expect(unsent).toContainText('Echo: never answered');
          await expect(unsent).toContainText('Completed');
        } else {
          await expect(turns(page)).toHaveCount(1);
          await page.reload();
          await expect(turn(page, 1)).toContainText('answered before');
          await expect(turns(page)).toHaveCount(1);
        }
      } finally {
        await app?.stop();
        await sim.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
