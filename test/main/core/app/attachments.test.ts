/**
 * Images attached to the next turn, through the Assistant façade with an in-memory connection: what goes on the
 * wire with the turn, what the window is told, and that a bad image never costs the user their turn.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Assistant } from '../../../../src/main/core/app/assistant';
import { FakeAudioEngine } from '../../../../src/main/core/audio/fake-engine';
import { EventLog } from '../../../../src/main/core/eventlog/event-log';
import { imageFacts, dataUrlBytes } from '../../../../src/main/core/images/facts';
import type { EventName, EventPayload } from '../../../../src/shared/contract';
import { DEFAULT_SETTINGS, type Settings } from '../../../../src/shared/settings';
import type { ImageRef } from '../../../../src/shared/types';
import { testConversations } from '../../../helpers/conversations';
import { solidPng } from '../../../helpers/images';
import { FakeConnection } from '../turn/fake-connection';

interface Setup {
  assistant: Assistant;
  conn: FakeConnection;
  events: Array<[EventName, unknown]>;
  log: EventLog;
  audio: FakeAudioEngine;
  settings: Settings;
  dir: string;
}

const setups: Setup[] = [];

function setup(settings: Partial<Settings> = {}): Setup {
  const events: Array<[EventName, unknown]> = [];
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): number =>
    events.push([event, payload]);
  const log = new EventLog();
  const audio = new FakeAudioEngine({ micSource: Buffer.alloc(24000 * 2, 1) });
  const conv = testConversations(emit);
  const conns: FakeConnection[] = [];
  const s = { events, log, audio, settings: { ...DEFAULT_SETTINGS, ...settings }, dir: conv.dir } as Setup;
  s.assistant = new Assistant({
    audio,
    log,
    emit,
    settings: () => s.settings,
    conversations: conv.conversations,
    connect: () => {
      const c = new FakeConnection();
      conns.push(c);
      return c;
    },
  });
  s.assistant.useEndpoint(
    { provider: 'openai', url: 'wss://api.openai.com/v1/realtime?model=gpt-realtime', headers: {} },
    { demoMode: false, provider: 'openai' },
  );
  const c = conns.at(-1);
  if (!c) throw new Error('no connection');
  c.setStatus({ state: 'connected' });
  c.serverSends({ type: 'session.created', event_id: 'e0', session: { type: 'realtime', instructions: '' } });
  s.conn = c;
  setups.push(s);
  return s;
}

afterEach(async () => {
  for (const s of setups.splice(0)) {
    await s.assistant.dispose();
    await s.audio.close();
    s.log.dispose();
  }
});

const of = <E extends EventName>(s: Setup, name: E): Array<EventPayload<E>> =>
  s.events.filter(([n]) => n === name).map(([, p]) => p as EventPayload<E>);

async function attached(s: Setup, bytes: Buffer, source: ImageRef['source'] = 'paste'): Promise<ImageRef> {
  const result = await s.assistant.attachImage(bytes, source);
  if (!result.ok) throw new Error(result.reason);
  return result.image;
}

function userItems(s: Setup): Array<{ content: Array<Record<string, unknown>> }> {
  return s.conn.sent
    .filter((e) => e.type === 'conversation.item.create')
    .map((e) => (e as unknown as { item: { content: Array<Record<string, unknown>> } }).item);
}

describe('images attached to the next turn', () => {
  it('go with the next typed message as one user message, images first in the order shown, then the text', async () => {
    const s = setup();
    const red = await attached(s, solidPng(64, 32, [255, 0, 0, 255]));
    const blue = await attached(s, solidPng(10, 20, [0, 0, 255, 255]), 'file');
    expect(
      of(s, 'attachments')
        .at(-1)
        ?.map((i) => i.id),
    ).toEqual([red.id, blue.id]);
    expect(s.assistant.snapshot().attachments).toHaveLength(2);

    const { turnId } = await s.assistant.sendText('what are these?');
    const [item] = userItems(s);
    expect(item?.content.map((p) => p.type)).toEqual(['input_image', 'input_image', 'input_text']);
    expect(item?.content[0]).toMatchObject({ detail: 'auto' });
    const sizes = item?.content
      .slice(0, 2)
      .map((p) => imageFacts(dataUrlBytes(String(p.image_url)) ?? Buffer.alloc(0)));
    expect(sizes?.map((f) => [f.width, f.height, ...f.average])).toEqual([
      [64, 32, 255, 0, 0],
      [10, 20, 0, 0, 255],
    ]);
    // The turn shows them; the composer is empty again.
    expect(of(s, 'turn').at(-1)).toMatchObject({ id: turnId, images: [{ id: red.id }, { id: blue.id }] });
    expect(of(s, 'attachments').at(-1)).toEqual([]);
    expect(s.assistant.snapshot().attachments).toEqual([]);
  });

  it('uses the longest side and the detail from Settings', async () => {
    const s = setup({ imageMaxSide: 400, imageDetail: 'low' });
    const image = await attached(s, solidPng(1000, 500, [0, 128, 0, 255]));
    expect([image.width, image.height]).toEqual([400, 200]);
    await s.assistant.sendText('look');
    expect(userItems(s)[0]?.content[0]).toMatchObject({ type: 'input_image', detail: 'low' });
  });

  it('a damaged image is refused in words, and the turn still goes with the text and the good images', async () => {
    const s = setup();
    const good = await attached(s, solidPng(8, 8, [255, 255, 0, 255]));
    const bad = await s.assistant.attachImage(solidPng(64, 64, [0, 0, 0, 255]).subarray(0, 50), 'file');
    expect(bad).toEqual({
      ok: false,
      reason: expect.stringMatching(/^The image could not be read/) as string,
    });
    const huge = await s.assistant.attachImage(Buffer.from('not an image at all'), 'paste');
    expect(huge.ok).toBe(false);
    expect(s.assistant.snapshot().attachments.map((i) => i.id)).toEqual([good.id]);
    const { turnId } = await s.assistant.sendText('still here?');
    expect(userItems(s)[0]?.content.map((p) => p.type)).toEqual(['input_image', 'input_text']);
    expect(of(s, 'turn').at(-1)).toMatchObject({ id: turnId, userText: 'still here?', phase: 'waiting' });
  });

  it('keeps each image as a file beside the database; Remove image takes it off and deletes it', async () => {
    const s = setup();
    const image = await attached(s, solidPng(16, 16, [1, 2, 3, 255]));
    const file = join(s.dir, 'images', `${image.id}.png`);
    expect(existsSync(file)).toBe(true);
    expect(s.assistant.image(image.id)?.dataUrl).toMatch(/^data:image\/png;base64,/);
    s.assistant.removeImage(image.id);
    expect(existsSync(file)).toBe(false);
    expect(s.assistant.image(image.id)).toBeNull();
    expect(of(s, 'attachments').at(-1)).toEqual([]);
  });

  it('the event log shows an image by its type and size, never its bytes', async () => {
    const s = setup();
    await attached(s, solidPng(200, 100, [9, 9, 9, 255]));
    await s.assistant.sendText('log it');
    const jsonl = s.log.toJSONL();
    expect(jsonl).toMatch(/<image\/png \d+ bytes>/);
    expect(jsonl).not.toContain('data:image/png;base64');
  });

  it('refuses a ninth image with the limit in words', async () => {
    const s = setup();
    for (let i = 0; i < 8; i++) await attached(s, solidPng(4, 4, [i, 0, 0, 255]));
    expect(await s.assistant.attachImage(solidPng(4, 4, [0, 0, 0, 255]), 'file')).toEqual({
      ok: false,
      reason: 'A turn can carry up to 8 images.',
    });
  });
});
