/**
 * "Look at this" in the real window: an image pasted, picked or dropped shows as a thumbnail above the message box,
 * goes with the next typed turn, and the simulator's reply names what only its bytes tell (size and colour). The
 * picture stays in the conversation after a restart with the same data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startBrowserMode, type BrowserMode } from '../fixtures/app';
import { startSimulator } from '../../src/main/core/simulator';
import { solidPng } from '../../test/helpers/images';
import { expect, openApp, pasteImage, replyAs, sendMessage, simTest as test, turn } from './helpers';

const RED = solidPng(64, 32, [255, 0, 0, 255]);

async function dropFiles(
  page: Page,
  files: Array<{ name: string; type: string; bytes: Buffer }>,
): Promise<void> {
  const list = files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') }));
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    for (const f of ${JSON.stringify(list)})
      data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    const box = document.getElementById('message');
    box.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    box.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  })()`);
}

const attached = (page: Page) =>
  page.getByRole('list', { name: 'Attached images' }).getByRole('img', { name: 'Attached image' });

test('a pasted image goes with the typed turn, and the reply names its size and colour', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  await pasteImage(page, RED);
  await expect(attached(page)).toHaveCount(1);
  await expect(page.getByText('1 image will go with your next turn (spoken or typed)')).toBeVisible();
  // What was pasted is a picture, not text in the box.
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');

  await sendMessage(page, 'what is this?');
  const first = turn(page, 1);
  await expect(first).toContainText('Echo: what is this? I see a 64×32 image, mostly rgb(255,0,0).');
  await expect(first.getByRole('img', { name: 'Sent image, 64×32' })).toBeVisible();
  await expect(attached(page)).toHaveCount(0);
  await expect(page.getByText(/will go with your next turn/)).toHaveCount(0);
});

test('Attach image picks files; Remove image takes one off; a damaged file is refused in words', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await replyAs(page, 'Text');
  const pick = async (name: string, buffer: Buffer): Promise<void> => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach image' }).click();
    await (await chooser).setFiles({ name, mimeType: 'image/png', buffer });
  };
  await pick('blue.png', solidPng(20, 10, [0, 0, 255, 255]));
  await pick('green.png', solidPng(30, 30, [0, 255, 0, 255]));
  await expect(attached(page)).toHaveCount(2);
  await expect(page.getByText('2 images will go with your next turn (spoken or typed)')).toBeVisible();

  await page.getByRole('button', { name: 'Remove image' }).first().click();
  await expect(attached(page)).toHaveCount(1);

  await page.getByRole('textbox', { name: 'Message' }).fill('typed before the bad file');
  await pick('broken.png', RED.subarray(0, 60));
  await expect(page.getByRole('alert')).toContainText('The image could not be read: the PNG file is damaged');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('typed before the bad file');
  await expect(attached(page)).toHaveCount(1);

  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(turn(page, 1)).toContainText('I see a 30×30 image, mostly rgb(0,255,0).');
  await expect(turn(page, 1)).not.toContainText('20×10');
});

test('dropping an image on the message box attaches it; a dropped text file is refused in words', async ({
  page,
  app,
}) => {
  await openApp(page, app.url);
  await dropFiles(page, [{ name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('hello') }]);
  await expect(page.getByRole('alert')).toHaveText('Only images can be attached.');
  await expect(attached(page)).toHaveCount(0);
  await dropFiles(page, [{ name: 'photo.png', type: 'image/png', bytes: solidPng(40, 40, [0, 0, 0, 255]) }]);
  await expect(attached(page)).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test.describe('after a restart', () => {
  test.setTimeout(90_000);

  test('the image is still in the conversation', async ({ page }) => {
    const sim = await startSimulator({ audioPacing: 'fast' });
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-e2e-images-'));
    let app: BrowserMode | undefined;
    try {
      app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url } });
      await openApp(page, app.url);
      await replyAs(page, 'Text');
      await pasteImage(page, RED);
      await expect(attached(page)).toHaveCount(1);
      await sendMessage(page, 'keep this picture');
      await expect(turn(page, 1)).toContainText('I see a 64×32 image');
      await app.stop();
      app = undefined;

      app = await startBrowserMode({ dataDir, env: { REALTIME_URL: sim.url } });
      await openApp(page, app.url);
      const image = turn(page, 1).getByRole('img', { name: 'Sent image, 64×32' });
      await expect(image).toBeVisible();
      // Drawn from the bytes kept beside the database, not a broken placeholder.
      await expect(image).toHaveJSProperty('naturalWidth', 64);
    } finally {
      await app?.stop();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

test('at 640×480 with an image attached, the conversation keeps room and Send and Push to talk stay in view', async ({
  page,
  app,
}) => {
  await page.setViewportSize({ width: 640, height: 480 });
  await openApp(page, app.url);
  await pasteImage(page, solidPng(1600, 900, [30, 60, 90, 255]));
  await expect(attached(page)).toHaveCount(1);
  const talk = page.getByRole('region', { name: 'Talk' });
  for (const name of ['Send', 'Push to talk', 'Remove image', 'Attach image', 'Capture screen'])
    await expect(talk.getByRole('button', { name, exact: true })).toBeInViewport({ ratio: 1 });
  const height = (await page.locator('.conversation').boundingBox())?.height ?? 0;
  expect(height).toBeGreaterThanOrEqual(80);
});
