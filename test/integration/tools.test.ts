/**
 * Function calls end to end in the core (FIELD-REPORTS row 14): the real Assistant and tool runner, the real
 * built-in tools behind the real registry, and the GA simulator asking for them on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinTools } from '../../src/main/core/tools/builtins';
import { createToolRegistry } from '../../src/main/core/tools/registry';
import type { ToolRegistry } from '../../src/main/core/tools/types';
import { Rig } from './rig';

let rig: Rig | undefined;
let registry: ToolRegistry | undefined;
afterEach(async () => {
  await rig?.close();
  await registry?.dispose();
  rig = undefined;
});

const NOON = Date.UTC(2026, 11, 3, 12, 0, 0);

async function start(always: string[] = []): Promise<{ rig: Rig; opened: string[] }> {
  const opened: string[] = [];
  registry = createToolRegistry({
    providers: [
      createBuiltinTools({
        openExternal: async (url) => void opened.push(url),
        clipboard: { unavailable: 'no clipboard in this test' },
        search: () => [],
        now: () => NOON,
        timeZone: 'UTC',
      }),
    ],
  });
  rig = await Rig.start({
    sim: { audioPacing: 'fast' },
    tools: { registry, alwaysAllowed: () => always, allowAlways: (name) => always.push(name) },
  });
  rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
  return { rig, opened };
}

describe('tools through a real turn', () => {
  it('offers the built-ins in the session, runs the one asked for, and the reply uses its output', async () => {
    const { rig } = await start();
    const { turnId } = await rig.assistant.sendText('what time is it');
    const turn = await rig.settled(turnId);
    expect(turn.outcome).toEqual({ kind: 'completed' });
    expect(turn.tools).toEqual([
      expect.objectContaining({
        name: 'get_current_time',
        status: 'done',
        result: expect.stringContaining('2026'),
      }),
    ]);
    expect(turn.assistantText).toMatch(/^The get_current_time tool returned: .*2026.*\.$/);
    const update = rig.received().find((e) => e.type === 'session.update') as unknown as {
      session: { tools?: Array<{ name: string }> };
    };
    expect(update.session.tools?.map((t) => t.name)).toEqual(
      expect.arrayContaining(['get_current_time', 'open_url', 'search_conversations']),
    );
    expect(update.session.tools?.map((t) => t.name)).not.toContain('read_clipboard'); // unavailable here
    expect(rig.receivedTypes()).toContain('conversation.item.create');
    rig.expectAllValid();
  });

  it('a tool that needs approval waits for the user; Allow once runs it and the reply uses it', async () => {
    const { rig, opened } = await start();
    const { turnId } = await rig.assistant.sendText('call open_url with {"url":"https://example.com/"}');
    await rig.until(() => rig.turn(turnId)?.tools?.[0]?.status === 'approval', 'the approval request');
    expect(opened).toEqual([]);
    const callId = rig.turn(turnId)?.tools?.[0]?.callId ?? '';
    expect(rig.assistant.decideTool(callId, 'once')).toEqual({ ok: true });
    const turn = await rig.settled(turnId);
    expect(opened).toEqual(['https://example.com/']);
    expect(turn.tools?.[0]?.status).toBe('done');
    expect(turn.assistantText).toContain('The open_url tool returned:');
  });

  it('Deny: nothing runs, and the model is told the user declined', async () => {
    const { rig, opened } = await start();
    const { turnId } = await rig.assistant.sendText('call open_url with {"url":"https://example.com/"}');
    await rig.until(() => rig.turn(turnId)?.tools?.[0]?.status === 'approval', 'the approval request');
    rig.assistant.decideTool(rig.turn(turnId)?.tools?.[0]?.callId ?? '', 'deny');
    const turn = await rig.settled(turnId);
    expect(opened).toEqual([]);
    expect(turn.tools?.[0]).toMatchObject({ status: 'declined' });
    expect(turn.assistantText).toContain('The user declined to run this tool.');
  });

  it('"Always allow" means the next call of that tool runs without asking', async () => {
    const always: string[] = [];
    const { rig, opened } = await start(always);
    const first = await rig.assistant.sendText('call open_url with {"url":"https://example.com/a"}');
    await rig.until(() => rig.turn(first.turnId)?.tools?.[0]?.status === 'approval', 'the approval request');
    rig.assistant.decideTool(rig.turn(first.turnId)?.tools?.[0]?.callId ?? '', 'always');
    await rig.settled(first.turnId);
    const second = await rig.assistant.sendText('call open_url with {"url":"https://example.com/b"}');
    await rig.settled(second.turnId);
    expect(always).toEqual(['open_url']);
    expect(opened).toEqual(['https://example.com/a', 'https://example.com/b']);
  });

  it('an unknown tool and bad arguments reach the model as errors it can explain; nothing hangs', async () => {
    const { rig } = await start();
    const unknown = await rig.assistant.sendText('call make_coffee with {}');
    expect((await rig.settled(unknown.turnId)).tools?.[0]).toMatchObject({ status: 'failed' });
    const bad = await rig.assistant.sendText('call get_current_time with {not json');
    const turn = await rig.settled(bad.turnId);
    expect(turn.tools?.[0]).toMatchObject({ status: 'failed' });
    expect(turn.outcome).toEqual({ kind: 'completed' });
  });

  it('calls of a response that ended failed are never run', async () => {
    const { rig, opened } = await start(['open_url']);
    rig.sim.setFaults(['tool-call-then-fail']);
    const { turnId } = await rig.assistant.sendText('call open_url with {"url":"https://example.com/"}');
    const turn = await rig.settled(turnId);
    expect(turn.outcome?.kind).toBe('failed');
    expect(opened).toEqual([]);
    expect(turn.tools).toBeUndefined();
  });
});
