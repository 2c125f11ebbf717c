/**
 * The event log with ten thousand rows: it stays virtualised (a few dozen rows in the DOM), filtering and
 * scrolling still work. Prints how long the window took to catch up and the longest main-thread task while
 * scrolling (figures to read, not asserted: timing belongs to benchmarks).
 */
import { expect, openApp, simTest as test } from './helpers';

// Runs in the page; the Node tsconfig has no DOM library, so declare the little it touches.
declare const WebSocket: new (url: string) => {
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
};
declare const location: { host: string; search: string };
declare const PerformanceObserver: new (
  cb: (list: { getEntries(): Array<{ duration: number }> }) => void,
) => {
  observe(options: { type: string; buffered?: boolean }): void;
};
declare const window: Record<string, unknown>;

test.use({ simOptions: { audioPacing: 'fast', textDeltaMs: 0 } });

test('ten thousand log rows stay virtualised, filterable and scrollable', async ({ page, app }) => {
  test.setTimeout(240_000);
  await openApp(page, app.url);
  await page.getByRole('button', { name: 'Event log', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Event log' });
  await page.getByRole('radiogroup', { name: 'Reply as' }).getByRole('radio', { name: 'Text' }).check();

  // Drive many typed turns through the same API the window uses (a second client on the socket).
  const turns = 750;
  const started = Date.now();
  await page.evaluate(async (count) => {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve) => (ws.onopen = () => resolve()));
    let answered = 0;
    const done = new Promise<void>((resolve) => {
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as { id?: number };
        if (typeof message.id === 'number' && ++answered === count) resolve();
      };
    });
    for (let i = 1; i <= count; i++) {
      ws.send(JSON.stringify({ id: i, command: 'message.send', payload: { text: `message ${i}` } }));
    }
    await done;
    ws.close();
  }, turns);

  const rows = panel.getByRole('listitem');
  await expect(panel.getByRole('list', { name: 'Events' })).toHaveAttribute('aria-label', 'Events');
  await expect
    .poll(async () => Number((await rows.first().getAttribute('aria-setsize')) ?? 0), { timeout: 200_000 })
    .toBeGreaterThanOrEqual(10_000);
  const caughtUpMs = Date.now() - started;
  const totalRows = await rows.first().getAttribute('aria-setsize');
  // Virtualised: only the rows in view (plus overscan) exist in the DOM.
  expect(await rows.count()).toBeLessThan(100);

  // Scroll from the bottom to the top and watch for long main-thread tasks.
  await page.evaluate(() => {
    const tasks: number[] = [];
    window.__longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  const scroller = panel.locator('.log-scroll');
  await scroller.hover();
  const scrollStarted = Date.now();
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -8000);
  await expect(rows.first()).toHaveAttribute('aria-posinset', '1', { timeout: 30_000 });
  const scrollMs = Date.now() - scrollStarted;
  const longTasks = await page.evaluate(() => (window.__longTasks as number[]).slice());

  // Filtering 10 000 rows down to one type still answers.
  await panel.getByRole('searchbox', { name: 'Filter by type' }).fill('response.create');
  // One wording for the count (issue 19): events, "M of N events" while filtering.
  await expect(panel.getByText(/of [\d,]+ events/)).toBeVisible();
  await expect(rows.first()).toContainText('response.create');

  const filtered = await panel.getByRole('listitem').first().getAttribute('aria-setsize');
  console.log(
    `[log-scale] ${turns} turns → ${totalRows} rows (${filtered} after filtering); caught up in ${caughtUpMs} ms; ` +
      `scrolled 10k rows in ${scrollMs} ms; long tasks while scrolling: ${longTasks.length}` +
      (longTasks.length ? ` (longest ${Math.round(Math.max(...longTasks))} ms)` : ''),
  );
});
