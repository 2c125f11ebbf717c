/**
 * "Look at this", core ↔ simulator over real sockets with the fake audio engine: an attached image reaches the
 * server as an input_image of the user's turn (typed: before the text; spoken: created before the commit), the
 * simulator reads its bytes, and the image stays with the conversation across a reconnect and a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { solidPng } from '../helpers/images';
import { Rig, type RigOptions } from './rig';

let rigs: Rig[] = [];

async function start(options: RigOptions = {}): Promise<Rig> {
  const rig = await Rig.start({ sim: { audioPacing: 'fast' }, ...options });
  rigs.push(rig);
  return rig;
}

afterEach(async () => {
  for (const rig of rigs) await rig.close();
  rigs = [];
});

const RED_64x32 = solidPng(64, 32, [255, 0, 0, 255]);

async function attach(rig: Rig, bytes: Buffer): Promise<string> {
  const result = await rig.assistant.attachImage(bytes, 'paste');
  if (!result.ok) throw new Error(result.reason);
  return result.image.id;
}

type Part = { type: string; image_url?: string; text?: string };
const contentOf = (event: Record<string, unknown>): Part[] =>
  ((event.item as { content?: Part[] } | undefined)?.content ?? []) as Part[];

describe('images in a turn, against the simulator', () => {
  it('a typed turn with an image: the reply names the size and colour only the bytes tell', async () => {
    const rig = await start();
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await attach(rig, RED_64x32);
    const { turnId } = await rig.assistant.sendText('what is this?');
    const turn = await rig.settled(turnId);
    expect(turn.assistantText).toBe('Echo: what is this? I see a 64×32 image, mostly rgb(255,0,0).');
    expect(turn.images).toHaveLength(1);
    const created = rig.received().filter((e) => e.type === 'conversation.item.create');
    expect(created).toHaveLength(1);
    expect(contentOf(created[0]!).map((p) => p.type)).toEqual(['input_image', 'input_text']);
    rig.expectAllValid();
  });

  it('a voice turn with an image: the image item is created before the commit, and the reply speaks of both', async () => {
    const rig = await start();
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await attach(rig, RED_64x32);
    const id = await rig.talk(600);
    const turn = await rig.settled(id);
    expect(turn.assistantText).toMatch(
      /^I heard 0\.\d seconds of audio\. I see a 64×32 image, mostly rgb\(255,0,0\)\.$/,
    );
    expect(rig.receivedTypes()).toEqual([
      'session.update',
      'input_audio_buffer.clear',
      'conversation.item.create',
      'input_audio_buffer.commit',
      'response.create',
    ]);
    const all = rig.received();
    const create = all.findIndex((e) => e.type === 'conversation.item.create');
    expect(contentOf(all[create]!).map((p) => p.type)).toEqual(['input_image']);
    // Live audio went out while the key was held; the picture joined just before the commit.
    expect(all.slice(0, create).some((e) => e.type === 'input_audio_buffer.append')).toBe(true);
    expect(create).toBeLessThan(all.findIndex((e) => e.type === 'input_audio_buffer.commit'));
    expect(rig.assistant.snapshot().attachments).toEqual([]);
    rig.expectAllValid();
  });

  it('a tap too short to send keeps the image for the next turn', async () => {
    const rig = await start();
    const imageId = await attach(rig, RED_64x32);
    await rig.assistant.press('keyboard');
    await rig.assistant.release('keyboard');
    await rig.until(
      () => rig.assistant.snapshot().turns.at(-1)?.outcome?.kind === 'ignored',
      'the tap to be ignored',
    );
    expect(rig.assistant.snapshot().attachments.map((a) => a.id)).toEqual([imageId]);
    expect(rig.receivedTypes()).not.toContain('conversation.item.create');
  });

  it('after a reconnect the new session is told the image as it was sent', async () => {
    const rig = await start();
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await attach(rig, RED_64x32);
    const { turnId } = await rig.assistant.sendText('remember this picture');
    await rig.settled(turnId);
    const sent = contentOf(rig.received().find((e) => e.type === 'conversation.item.create')!);
    rig.assistant.reconnect();
    await rig.until(
      () => rig.received().filter((e) => e.type === 'conversation.item.create').length >= 3,
      'the history in the new session',
    );
    const carried = rig.received().filter((e) => e.type === 'conversation.item.create')[1]!;
    expect(contentOf(carried)).toEqual(sent);
    rig.expectAllValid();
  });

  it('after a restart with the same data folder the image is still in the conversation, and is carried over', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-images-'));
    const first = await start({ dataDir });
    first.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await attach(first, RED_64x32);
    const { turnId } = await first.assistant.sendText('keep this');
    await first.settled(turnId);
    const before = first.assistant.snapshot().turns[0]?.images?.[0];
    const url = before ? first.assistant.image(before.id)?.dataUrl : undefined;
    await first.close();
    rigs = rigs.filter((r) => r !== first);

    const second = await start({ dataDir });
    const after = second.assistant.snapshot().turns[0];
    expect(after?.images).toEqual([before]);
    expect(second.assistant.image(before?.id ?? '')?.dataUrl).toBe(url);
    await second.until(
      () => second.received().some((e) => e.type === 'conversation.item.create'),
      'the history in the new session',
    );
    const carried = second.received().find((e) => e.type === 'conversation.item.create')!;
    expect(contentOf(carried).map((p) => p.type)).toEqual(['input_image', 'input_text']);
    expect(contentOf(carried)[0]?.image_url).toBe(url);
    // The Markdown export holds the picture too.
    const exported = second.assistant.exportConversation(second.assistant.snapshot().conversation.id);
    expect(exported.markdown).toContain(`![Attached image, 64×32](${url})`);
  });
});
