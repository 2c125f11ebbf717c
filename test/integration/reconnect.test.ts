/**
 * The socket goes away mid-turn (core ↔ simulator over real sockets): what was recorded or typed is kept
 * and sent once the connection is back, in a new session configured first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Rig } from './rig';

let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('connection loss', () => {
  it('the socket drops while the key is held: the whole recording is sent after reconnect, not lost', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, reconnectMs: 800 });
    await rig.assistant.press('keyboard');
    const id = rig.assistant.snapshot().turns.at(-1)?.id ?? '';
    await rig.until(() => (rig?.turn(id)?.recordedMs ?? 0) >= 200, 'some audio');
    rig.sim.dropAll();
    await rig.until(() => rig?.connection()?.state === 'reconnecting', 'the drop to be noticed');
    await rig.until(() => (rig?.turn(id)?.recordedMs ?? 0) >= 500, 'more audio');
    await rig.assistant.release('keyboard');
    const turn = await rig.settled(id);
    expect(turn.outcome).toEqual({ kind: 'completed' });
    expect(rig.receivedTypes(2)).toEqual(['session.update', 'input_audio_buffer.commit', 'response.create']);
    const bytes = rig
      .received(2)
      .filter((e) => e.type === 'input_audio_buffer.append')
      .reduce((sum, e) => sum + Buffer.from(String(e.audio), 'base64').byteLength, 0);
    expect(bytes).toBe((turn.recordedMs ?? 0) * 48);
    // The simulator heard all of it: its reply names the length.
    expect(turn.assistantText).toBe(
      `I heard ${((turn.recordedMs ?? 0) / 1000).toFixed(1)} seconds of audio.`,
    );
    rig.expectAllValid();
  });

  it('a message typed while disconnected is kept and sent once the connection is back', async () => {
    rig = await Rig.start({ sim: { audioPacing: 'fast' }, reconnectMs: 800 });
    rig.sim.dropAll();
    await rig.until(() => rig?.connection()?.state === 'reconnecting', 'the drop to be noticed');
    const { turnId } = await rig.assistant.sendText('are you back');
    expect(rig.turn(turnId)?.phase).toBe('queued');
    const turn = await rig.settled(turnId);
    expect(turn).toMatchObject({ outcome: { kind: 'completed' }, assistantText: 'Echo: are you back' });
    expect(rig.receivedTypes(2)).toEqual(['session.update', 'conversation.item.create', 'response.create']);
    rig.expectAllValid();
  });
});
