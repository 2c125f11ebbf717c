/**
 * "Look at this", core ↔ simulator over real sockets with the fake audio engine: an attached image reaches the
 * server as an input_image of the user's turn (typed: before the text; spoken: created before the commit), the
 * simulator reads its bytes, and the image stays with the conversation across a reconnect and a restart.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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

  it('push-to-talk held with the capture modifier: the screen joins that turn, created before the commit', async () => {
    let captures = 0;
    const rig = await start({
      // A capture takes a moment (desktopCapturer, or the page's getDisplayMedia): talking starts before it lands.
      captureScreen: async () => {
        captures += 1;
        await new Promise((r) => setTimeout(r, 150));
        return solidPng(48, 24, [0, 0, 255, 255]);
      },
    });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await rig.assistant.press('hotkey', undefined, true);
    const id = rig.assistant.snapshot().turns.at(-1)?.id ?? '';
    // Shown before anything is sent: the held turn carries the capture as soon as it is fitted.
    await rig.until(() => (rig.turn(id)?.images?.length ?? 0) === 1, 'the capture on the held turn');
    expect(rig.receivedTypes()).not.toContain('conversation.item.create');
    await rig.until(() => (rig.turn(id)?.recordedMs ?? 0) >= 400, '400 ms recorded');
    await rig.assistant.release('hotkey');
    const turn = await rig.settled(id);
    expect(turn.assistantText).toMatch(/I see a 48×24 image, mostly rgb\(0,0,255\)\.$/);
    const types = rig.receivedTypes();
    expect(types.indexOf('conversation.item.create')).toBeLessThan(
      types.indexOf('input_audio_buffer.commit'),
    );
    expect(captures).toBe(1);
    expect(rig.assistant.snapshot().attachments).toEqual([]);
    rig.expectAllValid();
  });

  it('a key released before its capture lands waits for it; a plain press captures nothing', async () => {
    const capture = { land: (): void => undefined };
    const rig = await start({
      captureScreen: () =>
        new Promise((resolve) => (capture.land = () => resolve(solidPng(20, 10, [0, 255, 0, 255])))),
    });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await rig.assistant.press('hotkey', undefined, true);
    const id = rig.assistant.snapshot().turns.at(-1)?.id ?? '';
    await rig.until(() => (rig.turn(id)?.recordedMs ?? 0) >= 300, '300 ms recorded');
    const released = rig.assistant.release('hotkey');
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.receivedTypes()).not.toContain('input_audio_buffer.commit');
    capture.land();
    await released;
    const turn = await rig.settled(id);
    expect(turn.images?.map((i) => [i.width, i.height])).toEqual([[20, 10]]);
    expect(turn.assistantText).toContain('I see a 20×10 image, mostly rgb(0,255,0).');

    const plain = await rig.talk(200);
    expect((await rig.settled(plain)).images).toBeUndefined();
  });

  it('the Capture screen key attaches a capture for the next turn; a failed capture is said in a notice', async () => {
    let fail = false;
    const rig = await start({
      captureScreen: async () => {
        if (fail) throw new Error('the display went away');
        return solidPng(30, 30, [255, 255, 0, 255]);
      },
    });
    const result = await rig.assistant.captureScreen();
    expect(result).toMatchObject({ ok: true, image: { width: 30, height: 30, source: 'screen' } });
    expect(
      rig
        .of('attachments')
        .at(-1)
        ?.map((i) => i.source),
    ).toEqual(['screen']);
    expect(rig.receivedTypes()).not.toContain('conversation.item.create');
    fail = true;
    expect(await rig.assistant.captureScreen()).toMatchObject({ ok: false });
    expect(rig.notices().at(-1)?.text).toBe('The screen could not be captured: the display went away');
    expect(rig.assistant.snapshot().attachments).toHaveLength(1);
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
    expect(rig.assistant.snapshot().turns.at(-1)?.images).toBeUndefined(); // not shown as sent
    expect(rig.receivedTypes()).not.toContain('conversation.item.create');
    // The next real turn takes it.
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const turn = await rig.settled((await rig.assistant.sendText('this one')).turnId);
    expect(turn.images?.map((i) => i.id)).toEqual([imageId]);
  });

  it('a tap followed at once by a hold: the held turn takes the image', async () => {
    const rig = await start();
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const imageId = await attach(rig, RED_64x32);
    await rig.assistant.press('keyboard');
    await rig.assistant.release('keyboard');
    await rig.assistant.press('keyboard'); // the tap's capture may still be stopping
    const held = (): string | undefined =>
      rig.assistant.snapshot().turns.find((t) => t.phase === 'listening')?.id;
    await rig.until(() => (rig.turn(held() ?? '')?.recordedMs ?? 0) >= 300, 'the hold to record');
    const id = held() ?? '';
    await rig.assistant.release('keyboard');
    const turn = await rig.settled(id);
    expect(turn.images?.map((i) => i.id)).toEqual([imageId]);
    expect(turn.assistantText).toContain('I see a 64×32 image, mostly rgb(255,0,0).');
    expect(rig.assistant.snapshot().attachments).toEqual([]);
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

  it('with "carry images as a short placeholder", the new session gets "[image: W×H PNG]" text instead of the bytes', async () => {
    const rig = await start({ settings: { carryImages: 'placeholder' } });
    rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    await attach(rig, RED_64x32);
    const { turnId } = await rig.assistant.sendText('remember this picture');
    await rig.settled(turnId);
    // The turn itself went with its picture: the setting is only about what a new session is told.
    const creates = (): Record<string, unknown>[] =>
      rig.received().filter((e) => e.type === 'conversation.item.create');
    expect(contentOf(creates()[0]!).map((p) => p.type)).toEqual(['input_image', 'input_text']);
    rig.assistant.reconnect();
    await rig.until(() => creates().length >= 3, 'the history in the new session');
    expect(contentOf(creates()[1]!)).toEqual([
      { type: 'input_text', text: '[image: 64×32 PNG]\nremember this picture' },
    ]);
    expect(JSON.stringify(creates().slice(1))).not.toContain('data:image');
    rig.expectAllValid();
  });

  it('deleting a conversation deletes its image files at the next start (not before: it can be restored)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-images-'));
    const first = await start({ dataDir });
    first.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const goneId = await attach(first, RED_64x32);
    await first.settled((await first.assistant.sendText('forget this')).turnId);
    first.assistant.deleteConversation(first.assistant.snapshot().conversation.id);
    const file = (id: string): string => join(dataDir, 'images', `${id}.png`);
    expect(existsSync(file(goneId))).toBe(true); // restorable until Talkie quits
    await first.close();
    rigs = rigs.filter((r) => r !== first);

    await start({ dataDir });
    expect(existsSync(file(goneId))).toBe(false);
    // (A kept conversation's images survive a restart: the last test below.)
  });

  it('an image attached but not sent is still attached after a restart; files nothing refers to are removed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'talkie-images-'));
    const first = await start({ dataDir });
    const pendingId = await attach(first, RED_64x32);
    // A tap gives the picture back; deleting the conversation it happened in must not take the picture.
    await first.assistant.press('keyboard');
    await first.assistant.release('keyboard');
    await first.until(
      () => first.assistant.snapshot().turns.at(-1)?.outcome?.kind === 'ignored',
      'the tap to be ignored',
    );
    first.assistant.deleteConversation(first.assistant.snapshot().conversation.id);
    await first.close();
    rigs = rigs.filter((r) => r !== first);
    // Left by a process killed between writing a file and recording it.
    writeFileSync(join(dataDir, 'images', 'img_stray.png'), RED_64x32);
    writeFileSync(join(dataDir, 'images', 'img_half.jpg.tmp'), 'x');

    const second = await start({ dataDir });
    expect(second.assistant.snapshot().attachments.map((a) => a.id)).toEqual([pendingId]);
    expect(readdirSync(join(dataDir, 'images')).sort()).toEqual([`${pendingId}.png`, 'pending.json']);
    second.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
    const turn = await second.settled((await second.assistant.sendText('and now?')).turnId);
    expect(turn.assistantText).toContain('I see a 64×32 image, mostly rgb(255,0,0).');
    expect(second.assistant.snapshot().attachments).toEqual([]);
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
