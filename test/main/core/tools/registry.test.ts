import { describe, expect, it } from 'vitest';
import { createToolRegistry } from '../../../../src/main/core/tools/registry';
import type { ToolHandler, ToolProvider, ToolResult } from '../../../../src/main/core/tools/types';

/** A provider whose tools the test sets; `changed()` tells the registry. */
function fakeProvider(
  tools: ToolHandler[] = [],
  why?: (name: string) => string | undefined,
): ToolProvider & { set(tools: ToolHandler[]): void; disposed: boolean } {
  const listeners = new Set<() => void>();
  let current = tools;
  return {
    disposed: false,
    tools: () => current,
    whyUnavailable: why,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      current = next;
      for (const listener of listeners) listener();
    },
    async dispose() {
      this.disposed = true;
    },
  };
}

function tool(name: string, run: ToolHandler['run']): ToolHandler {
  return {
    spec: {
      name,
      description: `${name} tool`,
      parameters: { type: 'object', properties: {} },
      source: { kind: 'builtin' },
      approval: 'never',
    },
    run,
  };
}

const echo = tool('echo', async (args) => ({ ok: true, output: JSON.stringify(args) }));
const never = (): Promise<ToolResult> => new Promise(() => {});

describe('tool registry', () => {
  it('runs a tool with the parsed arguments', async () => {
    const registry = createToolRegistry({ providers: [fakeProvider([echo])] });
    expect(await registry.call('echo', '{"a":1}')).toEqual({ ok: true, output: '{"a":1}' });
    expect(await registry.call('echo', '')).toEqual({ ok: true, output: '{}' });
  });

  it('lists tools in provider order and keeps the first of two with the same name', () => {
    const a = fakeProvider([tool('a', never), tool('b', never)]);
    const b = fakeProvider([tool('b', async () => ({ ok: true, output: 'second' })), tool('c', never)]);
    const registry = createToolRegistry({ providers: [a, b] });
    expect(registry.list().map((t) => t.name)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['{"a":', /not valid JSON/],
    ['[1,2]', /must be a JSON object/],
    ['"text"', /must be a JSON object/],
    ['null', /must be a JSON object/],
  ])('refuses the arguments %s without running the tool', async (args, error) => {
    let ran = false;
    const registry = createToolRegistry({
      providers: [fakeProvider([tool('t', async () => ((ran = true), { ok: true, output: '' }))])],
    });
    const result = await registry.call('t', args);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
    expect(ran).toBe(false);
  });

  it('names an unknown tool, or says why it is not on offer', async () => {
    const registry = createToolRegistry({
      providers: [
        fakeProvider([], (name) => (name === 'off' ? 'The user has switched "off" off.' : undefined)),
      ],
    });
    expect(await registry.call('nope', '{}')).toEqual({ ok: false, error: 'There is no tool named "nope".' });
    expect(await registry.call('off', '{}')).toEqual({
      ok: false,
      error: 'The user has switched "off" off.',
    });
  });

  it('turns a throw, sync or async, into an error result', async () => {
    const registry = createToolRegistry({
      providers: [
        fakeProvider([
          tool('sync', () => {
            throw new Error('disk full');
          }),
          tool('async', async () => Promise.reject(new TypeError('bad input'))),
        ]),
      ],
    });
    expect(await registry.call('sync', '{}')).toEqual({ ok: false, error: '"sync" failed: disk full' });
    expect(await registry.call('async', '{}')).toEqual({ ok: false, error: '"async" failed: bad input' });
  });

  it('gives up on a tool that does not finish in time, even one that ignores its signal, and aborts it', async () => {
    let signal: AbortSignal | undefined;
    const registry = createToolRegistry({
      providers: [fakeProvider([tool('slow', (_args, s) => ((signal = s), never()))])],
      timeoutMs: 30_000,
    });
    const result = await registry.call('slow', '{}', { timeoutMs: 50 });
    expect(result).toEqual({
      ok: false,
      error: '"slow" did not finish within 0.1 seconds, so it was stopped.',
    });
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as DOMException).name).toBe('TimeoutError');
  });

  it('stops at once when the caller aborts (barge-in), and never starts when already aborted', async () => {
    let started = 0;
    const registry = createToolRegistry({
      providers: [fakeProvider([tool('slow', () => (started++, never()))])],
    });
    const controller = new AbortController();
    const pending = registry.call('slow', '{}', { signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ ok: false, error: '"slow" was cancelled because the user interrupted.' });
    expect(await registry.call('slow', '{}', { signal: controller.signal })).toMatchObject({ ok: false });
    expect(started).toBe(1);
  });

  it('cuts an output over the cap, with a note, within the cap', async () => {
    const big = 'é'.repeat(3000); // 6000 bytes
    const registry = createToolRegistry({
      providers: [fakeProvider([tool('big', async () => ({ ok: true, output: big }))])],
      maxOutputBytes: 1000,
    });
    const result = await registry.call('big', '{}');
    expect(result.ok).toBe(false);
    const error = result.ok ? '' : result.error;
    expect(error).toMatch(
      /^The output of "big" was too long \(6000 bytes, more than the 1000 allowed\), so it was cut/,
    );
    expect(new TextEncoder().encode(error).length).toBeLessThanOrEqual(1000);
    expect(error).toMatch(/éééé$/);
    expect(error).not.toContain('\uFFFD');
  });

  it('tells listeners only when what is offered really changes', () => {
    const provider = fakeProvider([echo]);
    const registry = createToolRegistry({ providers: [provider] });
    let calls = 0;
    registry.onChange(() => calls++);
    provider.set([echo]);
    expect(calls).toBe(0);
    provider.set([echo, tool('other', never)]);
    expect(calls).toBe(1);
  });

  it('disposes its providers and offers nothing afterwards', async () => {
    const provider = fakeProvider([echo]);
    const registry = createToolRegistry({ providers: [provider] });
    let calls = 0;
    registry.onChange(() => calls++);
    await registry.dispose();
    expect(provider.disposed).toBe(true);
    expect(registry.list()).toEqual([]);
    expect(calls).toBe(1);
    expect(await registry.call('echo', '{}')).toMatchObject({ ok: false });
  });
});
