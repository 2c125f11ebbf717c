/**
 * The preload with `electron` replaced at the module boundary: what the page receives is exactly one
 * frozen function per command plus `on`, wired to our namespaced channels, and nothing else.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, EVENT_NAMES } from '../../src/shared/channels';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string, request: unknown) => ({
  ok: true,
  value: { channel, request },
}));
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(fn);
      listeners.set(channel, set);
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) => listeners.get(channel)?.delete(fn),
  },
}));

type Api = Record<string, (...args: unknown[]) => unknown>;

beforeEach(async () => {
  exposed.clear();
  listeners.clear();
  invoke.mockClear();
  vi.resetModules();
  await import('../../src/preload/index');
});

describe('preload', () => {
  it('exposes only `api`: one function per command and `on`, all frozen', () => {
    expect([...exposed.keys()]).toEqual(['api']);
    const api = exposed.get('api') as Api;
    expect(Object.keys(api).sort()).toEqual([...COMMAND_NAMES, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(Object.isFrozen(value)).toBe(true);
    }
    // No raw IPC, no environment, no Node.
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'process', 'require', 'env']) {
      expect(api).not.toHaveProperty(forbidden);
    }
  });

  it('sends each command on its own namespaced channel with the request as given', async () => {
    const api = exposed.get('api') as Api;
    await expect(api['message.send']?.({ text: 'hi' })).resolves.toEqual({
      ok: true,
      value: { channel: 'cmd:message.send', request: { text: 'hi' } },
    });
    expect(invoke).toHaveBeenCalledWith('cmd:message.send', { text: 'hi' });
  });

  it('subscribes to allow-listed events only, and the returned function unsubscribes', () => {
    const api = exposed.get('api') as Api;
    const seen: unknown[] = [];
    const off = api.on?.('notice', (payload: unknown) => seen.push(payload)) as () => void;
    for (const fn of listeners.get('evt:notice') ?? []) fn({ sender: 'ipc event' }, { text: 'hello' });
    off();
    expect(listeners.get('evt:notice')?.size).toBe(0);
    // The page gets the payload only, never Electron's event object (it carries `sender`).
    expect(seen).toEqual([{ text: 'hello' }]);
    expect(() => api.on?.('not-an-event', () => undefined)).toThrow(/Unknown event/);
    expect(() => api.on?.('turn', 'not a function')).toThrow(/needs a listener function/);
    expect(EVENT_NAMES).toContain('navigate');
  });
});
