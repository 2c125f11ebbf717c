import { describe, expect, it } from 'vitest';
import { createBuiltinTools, type BuiltinToolPorts } from '../../../../src/main/core/tools/builtins';
import { createToolRegistry } from '../../../../src/main/core/tools/registry';
import type { ConversationHit } from '../../../../src/shared/types';

function setup(overrides: Partial<BuiltinToolPorts> = {}, disabled: string[] = []) {
  const opened: string[] = [];
  let clip = 'on the clipboard';
  const hits: ConversationHit[] = [
    {
      id: 'c1',
      title: 'Trip to Lisbon',
      createdAt: 0,
      updatedAt: Date.UTC(2026, 10, 3),
      turnCount: 4,
      snippet: 'the «tram» to Belém',
    },
  ];
  const ports: BuiltinToolPorts = {
    openExternal: async (url) => void opened.push(url),
    clipboard: { readText: async () => clip, writeText: async (t) => void (clip = t) },
    search: (query) => (query === 'tram' ? hits : []),
    now: () => Date.UTC(2026, 11, 3, 13, 5, 0),
    timeZone: 'Europe/Lisbon',
    ...overrides,
  };
  const builtins = createBuiltinTools(ports, { disabled });
  const registry = createToolRegistry({ providers: [builtins] });
  return { builtins, registry, opened, clipboard: () => clip };
}

describe('built-in tools', () => {
  it('offers the five tools under their contract names; three ask for approval', () => {
    const { registry } = setup();
    expect(registry.list().map((t) => [t.name, t.approval])).toEqual([
      ['get_current_time', 'never'],
      ['open_url', 'ask'],
      ['read_clipboard', 'ask'],
      ['write_clipboard', 'ask'],
      ['search_conversations', 'never'],
    ]);
    for (const spec of registry.list()) {
      expect(spec.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(spec.parameters).toMatchObject({ type: 'object' });
      expect(spec.source).toEqual({ kind: 'builtin' });
    }
  });

  it("tells the time in the user's zone, or another one asked for", async () => {
    const { registry } = setup();
    const here = await registry.call('get_current_time', '{}');
    // The words come from ICU, whose punctuation differs between versions: check the facts, not the commas.
    const parsed = here.ok ? (JSON.parse(here.output) as Record<string, string>) : {};
    expect(parsed).toMatchObject({ timeZone: 'Europe/Lisbon', iso: '2026-12-03T13:05:00.000Z' });
    expect(parsed.local).toMatch(/Thursday.*3 December 2026.*13:05:00/);
    const tokyo = await registry.call('get_current_time', '{"timeZone":"Asia/Tokyo"}');
    expect(tokyo.ok && JSON.parse(tokyo.output)).toMatchObject({ timeZone: 'Asia/Tokyo' });
    expect(tokyo.ok && JSON.parse(tokyo.output).local).toMatch(/3 December 2026.*22:05:00/);
    const bad = await registry.call('get_current_time', '{"timeZone":"Mars/Olympus"}');
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/"Mars\/Olympus" is not a time zone/) });
  });

  it('opens a web link through the port, and refuses others with the link check reason', async () => {
    const { registry, opened } = setup();
    expect(await registry.call('open_url', '{"url":"https://example.com/a b"}')).toEqual({
      ok: true,
      output: 'Opened https://example.com/a%20b in the default browser.',
    });
    const refused = await registry.call('open_url', '{"url":"file:///etc/passwd"}');
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/only web and mail links/) });
    const missing = await registry.call('open_url', '{}');
    expect(missing).toEqual({ ok: false, error: '"open_url" failed: "url" must be given as text.' });
    expect(opened).toEqual(['https://example.com/a%20b']);
  });

  it('reads and writes the clipboard through the port', async () => {
    const { registry, clipboard } = setup();
    expect(await registry.call('read_clipboard', '{}')).toEqual({ ok: true, output: 'on the clipboard' });
    expect(await registry.call('write_clipboard', '{"text":"hello"}')).toEqual({
      ok: true,
      output: 'Copied 5 characters to the clipboard.',
    });
    expect(clipboard()).toBe('hello');
  });

  it('searches past conversations through the port', async () => {
    const { registry } = setup();
    expect(await registry.call('search_conversations', '{"query":"tram"}')).toEqual({
      ok: true,
      output: 'Conversations mentioning "tram":\n- "Trip to Lisbon" (2026-11-03): the «tram» to Belém',
    });
    expect(await registry.call('search_conversations', '{"query":"ferry"}')).toEqual({
      ok: true,
      output: 'No past conversation mentions "ferry".',
    });
  });

  it('does not offer a tool whose port is unavailable, and says why when it is called', async () => {
    const reason = 'Browser mode has no clipboard access, so Talkie cannot read or write it.';
    const { registry, builtins } = setup({ clipboard: { unavailable: reason } });
    expect(registry.list().map((t) => t.name)).not.toContain('read_clipboard');
    expect(await registry.call('write_clipboard', '{"text":"x"}')).toEqual({ ok: false, error: reason });
    expect(builtins.view().find((t) => t.name === 'read_clipboard')).toMatchObject({ unavailable: reason });
  });

  it('switches tools off and on, and tells the registry', async () => {
    const { registry, builtins } = setup({}, ['open_url']);
    let changes = 0;
    registry.onChange(() => changes++);
    expect(registry.list().map((t) => t.name)).not.toContain('open_url');
    expect(await registry.call('open_url', '{"url":"https://example.com"}')).toEqual({
      ok: false,
      error: 'The user has switched "open_url" off in Settings.',
    });
    builtins.setEnabled('open_url', true);
    builtins.setEnabled('read_clipboard', false);
    expect(registry.list().map((t) => t.name)).toEqual([
      'get_current_time',
      'open_url',
      'write_clipboard',
      'search_conversations',
    ]);
    expect(changes).toBe(2);
    expect(builtins.view().map((t) => [t.name, t.enabled])).toContainEqual(['read_clipboard', false]);
  });
});
