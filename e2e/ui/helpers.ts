/**
 * Shared steps for the UI specs: open the app, send typed turns, read turns and the exported log.
 * Everything is found by role and accessible name, as a user of assistive tech would.
 */
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import type { LogEntry } from '../../src/shared/types';
import { test as appTest } from '../fixtures/test';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../src/main/core/simulator';

/** Opens the window and waits until it is connected (to the demo simulator or the given server). */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Connection' })).toContainText('Connected');
}

/** Opens Settings from the header and returns its dialog. */
export async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  return page.getByRole('dialog', { name: 'Settings' });
}

/** The conversation entry for turn `index` (1-based). */
export function turn(page: Page, index: number): Locator {
  return page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: `Turn ${index}` });
}

/** Types a message and sends it with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** Picks Voice or Text under "Reply as" and waits until main confirmed it. */
export async function replyAs(page: Page, mode: 'Voice' | 'Text'): Promise<void> {
  const radio = page.getByRole('radiogroup', { name: 'Reply as' }).getByRole('radio', { name: mode });
  await radio.check();
  await expect(radio).toBeChecked();
}

/** Exports the event log through the UI (a real download) and parses the JSONL. */
export async function exportLog(page: Page): Promise<{ text: string; entries: LogEntry[] }> {
  const panel = page.getByRole('region', { name: 'Event log' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Event log', exact: true }).click();
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Export log' }).click();
  const file = await (await download).path();
  const text = readFileSync(file, 'utf8');
  const entries = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);
  return { text, entries };
}

/** The `response.create` events the client sent, in order, from the exported log. */
export function responseCreates(entries: readonly LogEntry[]): Array<{ response?: Record<string, unknown> }> {
  return entries
    .filter((e) => e.dir === 'out' && e.type === 'response.create')
    .map((e) => e.payload as { response?: Record<string, unknown> });
}

/**
 * `test` with a simulator of the spec's own (fast audio) that the app is pointed at through REALTIME_URL,
 * so a spec can switch faults on with `sim.setFaults(...)`.
 */
export const simTest = appTest.extend<{ simOptions: SimulatorOptions; sim: SimulatorHandle }>({
  simOptions: [{ audioPacing: 'fast' }, { option: true }],
  sim: async ({ simOptions }, use) => {
    const sim = await startSimulator(simOptions);
    await use(sim);
    await sim.close();
  },
  appOptions: async ({ sim }, use) => {
    await use({ env: { REALTIME_URL: sim.url } });
  },
});

/** Pastes a PNG into the message box, as the clipboard of a screenshot tool would hand it over. */
export async function pasteImage(page: Page, png: Buffer): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).focus();
  // A string: the Node tsconfig has no DOM library.
  await page.evaluate(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(png.toString('base64'))}), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
    document.activeElement.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  })()`);
}

export { expect };
