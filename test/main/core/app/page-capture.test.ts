/**
 * Browser mode's capture for a global key: main asks the page and waits for its one frame; the first answer wins,
 * a declined share is no picture, a page that never answers ends the wait in words.
 */
import { describe, expect, it } from 'vitest';
import { createPageCapture } from '../../../../src/main/core/app/page-capture';

function setup(timeoutMs?: number) {
  const asked: string[] = [];
  const capture = createPageCapture((name, payload) => {
    if (name === 'capture.request') asked.push((payload as { requestId: string }).requestId);
  }, timeoutMs);
  return { asked, capture };
}

describe('page capture (browser mode)', () => {
  it('asks the page, and resolves with the frame it sends; a second answer changes nothing', async () => {
    const { asked, capture } = setup();
    const frame = capture.grab();
    expect(asked).toHaveLength(1);
    const id = asked[0] ?? '';
    expect(capture.answer(id, { data: Buffer.from('png bytes').toString('base64') })).toBe(true);
    expect((await frame)?.toString()).toBe('png bytes');
    expect(capture.answer(id, { data: 'AAAA' })).toBe(false);
    expect(capture.answer('cap_unknown', { data: 'AAAA' })).toBe(false);
  });

  it('a declined share is no picture; a failure is its words', async () => {
    const { asked, capture } = setup();
    const declined = capture.grab();
    capture.answer(asked[0] ?? '', {});
    expect(await declined).toBeNull();
    const failed = capture.grab();
    capture.answer(asked[1] ?? '', { error: 'Permission denied by system' });
    await expect(failed).rejects.toThrow('Permission denied by system');
  });

  it('gives up on a page that never answers, saying to open Talkie in the browser', async () => {
    const { capture } = setup(20);
    await expect(capture.grab()).rejects.toThrow(/no Talkie page answered/);
    const pending = capture.grab();
    capture.dispose();
    await expect(pending).rejects.toThrow('shutting down');
  });
});
