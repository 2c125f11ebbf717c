/**
 * Keyboard only: every control is reachable with Tab in a sensible order with a visible focus ring,
 * Space held (outside text fields) talks, and the Settings dialog keeps focus inside until Escape.
 */
import type { Page } from '@playwright/test';
import { test } from '../fixtures/test';
import { expect, openApp } from './helpers';

// The callbacks below run in the page; the Node tsconfig has no DOM library, so declare what they touch.
interface PageElement {
  id: string;
  textContent: string | null;
  nextElementSibling: PageElement | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  matches(selector: string): boolean;
  contains(other: PageElement | null): boolean;
}
declare const document: {
  activeElement: PageElement | null;
  body: PageElement;
  querySelector(selector: string): PageElement | null;
};
declare function getComputedStyle(element: PageElement): { outlineStyle: string; outlineWidth: string };

/** Role/name of the focused element, and whether it draws a focus indicator. */
async function focused(page: Page): Promise<{ label: string; ring: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { label: 'body', ring: false };
    const labelled = el.getAttribute('aria-label');
    const id = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
    const wrap = el.closest('label')?.textContent;
    const name = (labelled ?? id ?? wrap ?? el.textContent ?? '').trim();
    // A hidden native radio draws its ring on the visible segment next to it.
    const painted = el.matches('.segmented-option input') ? (el.nextElementSibling ?? el) : el;
    const style = getComputedStyle(painted);
    return { label: name, ring: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
  });
}

test('every control is reachable with Tab, in order, with a visible focus ring', async ({ page, app }) => {
  await openApp(page, app.url);
  const seen: string[] = [];
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const { label, ring } = await focused(page);
    // Past the last control focus leaves the page (browser UI), then wraps to the first again.
    if (label === 'body' || seen.includes(label)) break;
    expect(ring, `focus ring on "${label}"`).toBe(true);
    seen.push(label);
  }
  const order = [
    'Event log',
    'Settings',
    'Add a key',
    'Dismiss demo notice',
    'Voice',
    'Instructions for this turn',
    'Push to talk',
    'Message',
    'Send',
  ];
  expect(seen.filter((label) => order.includes(label))).toEqual(order);
});

test('holding Space talks: listening while held, a voice turn after release', async ({ page, app }) => {
  await openApp(page, app.url);
  const ptt = page.getByRole('button', { name: 'Push to talk' });
  await expect(ptt).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.down(' ');
  await expect(ptt).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('Listening… release to send')).toBeVisible();
  await page.waitForTimeout(800);
  await page.keyboard.up(' ');
  await expect(ptt).toHaveAttribute('aria-pressed', 'false');
  const turn = page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: 'Turn 1' });
  // With a microphone the simulator answers; without one the turn says why in plain words.
  await expect(turn).toContainText(/I heard \d+(\.\d)? seconds of audio|microphone/i);
});

test('a tap on Space shows "Hold to talk"', async ({ page, app }) => {
  await openApp(page, app.url);
  // Key down and up in one task: Playwright's own key presses are a round trip apart, which on a busy machine is
  // more than the 100 ms a tap is allowed.
  await page.evaluate(
    `for (const type of ['keydown', 'keyup'])
       document.body.dispatchEvent(new KeyboardEvent(type, { key: ' ', code: 'Space', bubbles: true }))`,
  );
  await expect(page.getByText('Hold to talk', { exact: true })).toBeVisible();
  await expect(page.getByRole('log', { name: 'Conversation' }).getByRole('article')).toHaveCount(0);
});

test('Space in the message box types a space and does not talk', async ({ page, app }) => {
  await openApp(page, app.url);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.focus();
  await page.keyboard.type('a b');
  await expect(box).toHaveValue('a b');
  await expect(page.getByRole('button', { name: 'Push to talk' })).toHaveAttribute('aria-pressed', 'false');
});

test('Settings opens from the keyboard, keeps focus inside, and Escape closes it', async ({ page, app }) => {
  await openApp(page, app.url);
  const opener = page.getByRole('button', { name: 'Settings', exact: true });
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    // Inside the dialog, or (past its last control) out to the browser's own UI: never the page behind.
    const where = await dialog.evaluate((d: PageElement) =>
      d.contains(document.activeElement)
        ? 'dialog'
        : document.activeElement === document.body
          ? 'browser'
          : 'page',
    );
    expect(where).not.toBe('page');
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test('event log rows are walked with the arrow keys and expanded with Enter', async ({ page, app }) => {
  await openApp(page, app.url);
  await page.getByRole('textbox', { name: 'Message' }).fill('hello');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('log', { name: 'Conversation' })).toContainText('Echo: hello');
  await page.getByRole('button', { name: 'Event log', exact: true }).click();
  const log = page.getByRole('region', { name: 'Event log' });
  // The reply's text shows before its last events arrive: walk the log once response.done is in, or a row
  // appended after End would move "the last row" away from the focused one.
  await expect(log).toContainText('response.done');
  const rows = log.getByRole('listitem');
  await rows.first().getByRole('button').focus();
  await page.keyboard.press('End');
  const last = await rows.last().getAttribute('aria-posinset');
  await expect(page.locator(`[aria-posinset="${last}"] button`)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(`[aria-posinset="${Number(last) - 1}"] button`)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator(`[aria-posinset="${Number(last) - 1}"] button`)).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(page.locator(`[aria-posinset="${Number(last) - 1}"] pre`)).toContainText('"type"');
});
