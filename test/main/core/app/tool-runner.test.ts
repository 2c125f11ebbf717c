/** Who decides that a tool acts: approvals, "Always allow", denial, and stopping. */
import { describe, expect, it } from 'vitest';
import { DECLINED, ToolRunner } from '../../../../src/main/core/app/tool-runner';
import type { ToolRegistry, ToolSpec } from '../../../../src/main/core/tools/types';
import type { Input } from '../../../../src/main/core/turn/types';

const spec = (name: string, approval: ToolSpec['approval']): ToolSpec => ({
  name,
  description: name,
  parameters: { type: 'object' },
  source: { kind: 'builtin' },
  approval,
});

function setup(): {
  runner: ToolRunner;
  inputs: Input[];
  calls: string[];
  always: string[];
  release: () => void;
} {
  const inputs: Input[] = [];
  const calls: string[] = [];
  const always: string[] = [];
  let release = (): void => undefined;
  const registry: ToolRegistry = {
    list: () => [spec('get_current_time', 'never'), spec('open_url', 'ask'), spec('slow', 'never')],
    call: async (name, args, options) => {
      calls.push(`${name} ${args}`);
      if (name === 'slow')
        await new Promise<void>((resolve) => {
          release = resolve;
          options?.signal?.addEventListener('abort', () => resolve());
        });
      return { ok: true, output: `${name} ran` };
    },
    onChange: () => () => undefined,
    dispose: async () => undefined,
  };
  const runner = new ToolRunner({
    registry,
    alwaysAllowed: () => always,
    allowAlways: (name) => always.push(name),
    input: (i) => inputs.push(i),
    now: () => 0,
  });
  return { runner, inputs, calls, always, release: () => release() };
}

const call = (name: string, callId = 'c1') =>
  ({ kind: 'runTool', turnId: 't1', callId, name, arguments: '{}' }) as const;
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('ToolRunner', () => {
  it('runs a tool that needs no approval at once', async () => {
    const s = setup();
    s.runner.run(call('get_current_time'));
    await flush();
    expect(s.calls).toEqual(['get_current_time {}']);
    expect(s.inputs.at(-1)).toMatchObject({
      type: 'toolResult',
      status: 'done',
      output: 'get_current_time ran',
    });
  });

  it('asks before a tool that needs approval, and runs it only when allowed', async () => {
    const s = setup();
    s.runner.run(call('open_url'));
    await flush();
    expect(s.calls).toEqual([]);
    expect(s.inputs).toEqual([{ type: 'toolProgress', turnId: 't1', callId: 'c1', status: 'approval' }]);
    expect(s.runner.decide('c1', 'once')).toBe(true);
    await flush();
    expect(s.calls).toEqual(['open_url {}']);
    expect(s.runner.decide('c1', 'once')).toBe(false); // answered already
  });

  it('a denial tells the model the user declined, and nothing runs', async () => {
    const s = setup();
    s.runner.run(call('open_url'));
    s.runner.decide('c1', 'deny');
    await flush();
    expect(s.calls).toEqual([]);
    expect(s.inputs.at(-1)).toMatchObject({ type: 'toolResult', status: 'declined', output: DECLINED });
  });

  it('"Always allow" is remembered: the next call of that tool does not ask', async () => {
    const s = setup();
    s.runner.run(call('open_url', 'c1'));
    s.runner.decide('c1', 'always');
    expect(s.always).toEqual(['open_url']);
    s.runner.run(call('open_url', 'c2'));
    await flush();
    expect(s.calls).toEqual(['open_url {}', 'open_url {}']);
  });

  it('stopping a turn aborts its running tools and forgets its approvals; a late result is not reported', async () => {
    const s = setup();
    s.runner.run(call('slow', 'c1'));
    s.runner.run(call('open_url', 'c2'));
    await flush();
    s.runner.abort('t1');
    await flush();
    expect(s.runner.pending()).toEqual([]);
    expect(s.inputs.filter((i) => i.type === 'toolResult')).toEqual([]);
    expect(s.runner.decide('c2', 'once')).toBe(false);
  });
});
