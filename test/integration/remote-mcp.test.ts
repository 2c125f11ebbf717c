/**
 * Remote MCP servers (`type: "mcp"` tools the Realtime server calls itself), end to end in the core: the real
 * Assistant and tool runner against the GA simulator's fake remote server. The approval request shows on the
 * turn like a local tool's; the user's answer goes back as an mcp_approval_response; every client event is
 * checked against the official GA schema.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createToolRegistry } from '../../src/main/core/tools/registry';
import type { RemoteMcpDefinition } from '../../src/main/core/turn/types';
import { Rig } from './rig';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const TOKEN = 'remote-mcp-token-3c9e1f0a';

async function start(
  requireApproval: 'always' | 'never' = 'always',
  always: string[] = [],
  serverUrl = 'https://mcp.example.com/mcp',
): Promise<{ rig: Rig; asked: string[] }> {
  const asked: string[] = [];
  const remote: RemoteMcpDefinition[] = [
    {
      serverLabel: 'docs',
      serverUrl,
      authorization: TOKEN,
      allowedTools: ['echo'],
      requireApproval,
    },
  ];
  rig = await Rig.start({
    sim: { audioPacing: 'fast' },
    tools: {
      registry: createToolRegistry({ providers: [] }),
      alwaysAllowed: () => always,
      allowAlways: (name) => always.push(name),
      remoteMcp: () => remote,
      onApprovalNeeded: (call) =>
        asked.push(`${call.remote?.server}/${call.remote?.tool}: ${call.arguments}`),
    },
  });
  rig.assistant.setNext({ replyAs: 'text', instructions: '', instructionsMode: 'append' });
  return { rig, asked };
}

describe('remote MCP through a real turn', () => {
  it('offers the server in the session; an approval request waits for the user; Allow once runs it and the reply uses it', async () => {
    const { rig, asked } = await start();
    const { turnId } = await rig.assistant.sendText('use docs echo with {"text":"hello remote"}');
    await rig.until(() => rig.turn(turnId)?.tools?.[0]?.status === 'approval', 'the approval request');
    const row = rig.turn(turnId)?.tools?.[0];
    expect(row).toMatchObject({ name: 'docs__echo', arguments: '{"text":"hello remote"}' });
    expect(asked).toEqual(['docs/echo: {"text":"hello remote"}']);
    expect(rig.assistant.decideTool(row?.callId ?? '', 'once')).toEqual({ ok: true });
    const turn = await rig.settled(turnId);
    expect(turn.outcome).toEqual({ kind: 'completed' });
    expect(turn.tools?.[0]).toMatchObject({ name: 'docs__echo', status: 'done', result: 'hello remote' });
    expect(turn.assistantText).toContain('The docs echo tool returned: hello remote');

    const update = rig.received().find((e) => e.type === 'session.update') as unknown as {
      session: { tools?: Array<Record<string, unknown>> };
    };
    expect(update.session.tools).toContainEqual({
      type: 'mcp',
      server_label: 'docs',
      server_url: 'https://mcp.example.com/mcp',
      authorization: TOKEN,
      allowed_tools: ['echo'],
      require_approval: 'always',
    });
    const answer = rig
      .received()
      .find(
        (e) => e.type === 'conversation.item.create' && JSON.stringify(e).includes('mcp_approval_response'),
      );
    expect(answer).toMatchObject({ item: { type: 'mcp_approval_response', approve: true } });
    rig.expectAllValid();
  });

  it('Deny answers approve:false, and the reply says the user declined', async () => {
    const { rig } = await start();
    const { turnId } = await rig.assistant.sendText('use docs echo with {"text":"no"}');
    await rig.until(() => rig.turn(turnId)?.tools?.[0]?.status === 'approval', 'the approval request');
    rig.assistant.decideTool(rig.turn(turnId)?.tools?.[0]?.callId ?? '', 'deny');
    const turn = await rig.settled(turnId);
    expect(turn.tools?.[0]).toMatchObject({ status: 'declined' });
    expect(turn.assistantText).toContain('The user declined the docs echo call.');
    const answer = rig
      .received()
      .find(
        (e) => e.type === 'conversation.item.create' && JSON.stringify(e).includes('mcp_approval_response'),
      );
    expect(answer).toMatchObject({ item: { type: 'mcp_approval_response', approve: false } });
    rig.expectAllValid();
  });

  it('a server that needs no approval: the call shows on the turn and the reply uses it', async () => {
    const { rig, asked } = await start('never');
    const { turnId } = await rig.assistant.sendText('use docs echo with {"text":"straight through"}');
    const turn = await rig.settled(turnId);
    expect(asked).toEqual([]);
    expect(turn.tools?.[0]).toMatchObject({ name: 'docs__echo', status: 'done', result: 'straight through' });
    expect(turn.assistantText).toContain('The docs echo tool returned: straight through');
    rig.expectAllValid();
  });

  it('"Always allow" approves the next call of that remote tool without asking', async () => {
    const always: string[] = [];
    const { rig, asked } = await start('always', always);
    const first = await rig.assistant.sendText('use docs echo with {"text":"one"}');
    await rig.until(() => rig.turn(first.turnId)?.tools?.[0]?.status === 'approval', 'the approval request');
    rig.assistant.decideTool(rig.turn(first.turnId)?.tools?.[0]?.callId ?? '', 'always');
    await rig.settled(first.turnId);
    const second = await rig.assistant.sendText('use docs echo with {"text":"two"}');
    const turn = await rig.settled(second.turnId);
    expect(always).toEqual(['remote:docs__echo']);
    expect(asked).toHaveLength(1);
    expect(turn.assistantText).toContain('The docs echo tool returned: two');
  });

  it('a server the Realtime server cannot list is named in a notice, and its call fails in words', async () => {
    const { rig } = await start('never', [], 'https://fail.example.com/mcp');
    await rig.until(
      () => rig.notices().some((n) => n.text.includes('the remote MCP server "docs"')),
      'the listing notice',
    );
    const { turnId } = await rig.assistant.sendText('use docs echo with {"text":"x"}');
    const turn = await rig.settled(turnId);
    expect(turn.tools?.[0]).toMatchObject({ name: 'docs__echo', status: 'failed' });
    expect(turn.assistantText).toContain('The docs echo tool failed');
  });
});
