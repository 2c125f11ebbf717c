/**
 * Issue 19, "Replies are not rendered": a reply's Markdown shows as headings, lists, a table, a code block
 * (pre/code, monospace) with Copy code, and links that open only after main's check, in a new tab without the
 * opener (browser mode). Markup from the server never runs: <script>, <img onerror>, javascript: links and raw
 * HTML stay text or lose their link.
 */
import { expect, openApp, replyAs, sendMessage, simTest as test, turn } from './helpers';

// Read back in the page; the Node tsconfig has no DOM library, so declare what the callbacks touch.
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const window: { __pwned?: number; opener: unknown };
declare function getComputedStyle(element: unknown): { fontFamily: string };

const MARKDOWN = [
  'reply',
  '# Heading one',
  '',
  '- first item',
  '- second item',
  '',
  '| col a | col b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '```js',
  'const x = 1;',
  '```',
  '',
  '[a web link](https://example.com/page) and [bad link](javascript:window.__pwned=3)',
  '',
  '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> <b>raw bold</b>',
  '',
  '![tracker](https://example.com/pixel.png)',
].join('\n');

test('a reply renders as sanitised Markdown; code copies; links open only after the check', async ({
  page,
  app,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
  await context.route('https://example.com/**', (route) =>
    route.fulfill({ body: 'ok', contentType: 'text/plain' }),
  );
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await sendMessage(page, MARKDOWN);
  const reply = turn(page, 1).locator('.bubble-assistant');
  await expect(turn(page, 1)).toContainText('Completed');

  await expect(reply.getByRole('heading', { name: 'Heading one' })).toBeVisible();
  await expect(reply.getByRole('list').getByRole('listitem')).toHaveText(['first item', 'second item']);
  await expect(reply.getByRole('table').getByRole('cell', { name: '2' })).toBeVisible();
  const code = reply.locator('pre > code');
  await expect(code).toHaveText('const x = 1;');
  expect(await code.evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono|Menlo|Consolas/i);
  await reply.getByRole('button', { name: 'Copy code' }).click();
  await expect(reply.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('const x = 1;');

  // Nothing from the server ran or became markup.
  await expect(reply).toContainText('<script>window.__pwned=1</script>');
  await expect(reply).toContainText('<b>raw bold</b>');
  await expect(reply.locator('script, img, b, iframe')).toHaveCount(0);
  await expect(reply.getByRole('link', { name: 'bad link' })).toHaveCount(0);
  await expect(reply).toContainText('bad link');
  // The image is a link to it, not a fetch.
  await expect(reply.getByRole('link', { name: 'Image: tracker' })).toBeVisible();
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();

  // A web link: main checks it, then the page opens it in a new tab without access back to Talkie.
  const popup = page.waitForEvent('popup');
  await reply.getByRole('link', { name: 'a web link' }).click();
  const tab = await popup;
  await tab.waitForLoadState();
  expect(tab.url()).toBe('https://example.com/page');
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  await tab.close();
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
});
