import type { IpcMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, commandChannel, eventChannel } from '../../../src/shared/channels';
import type { Handlers } from '../../../src/shared/contract';
import { createDispatcher } from '../../../src/main/ipc/dispatch';

vi.mock('electron', () => import('./electron-mock'));
const { broadcast, createSenderCheck, registerIpc } = await import('../../../src/main/electron/ipc');

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;

function fakeIpcMain(): {
  handle: (c: string, h: Handler) => void;
  removeHandler: (c: string) => void;
  handlers: Map<string, Handler>;
} {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (channel, handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
}

const OUR_ID = 7;
const isAppUrl = (url: string): boolean => url.startsWith('app://talkie/');
const check = createSenderCheck(() => [OUR_ID], isAppUrl);
const event = (id: number, url: string, parent: unknown = null): unknown => ({
  sender: { id },
  senderFrame: { url, parent },
});

describe('IPC registration', () => {
  it('registers exactly one handler per contract command, and removes them again', () => {
    const ipc = fakeIpcMain();
    const unregister = registerIpc(ipc as unknown as IpcMain, async () => ({ ok: true, value: null }), check);
    expect([...ipc.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map(commandChannel).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('passes a call from our window through the dispatcher with its raw payload', async () => {
    const ipc = fakeIpcMain();
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'done' }));
    registerIpc(ipc as unknown as IpcMain, dispatch, check);
    const answer = await ipc.handlers.get('cmd:talk.toggle')?.(event(OUR_ID, 'app://talkie/index.html'), {
      source: 'tray',
    });
    expect(dispatch).toHaveBeenCalledWith('talk.toggle', { source: 'tray' });
    expect(answer).toEqual({ ok: true, value: 'done' });
  });

  it.each([
    ['another webContents', event(99, 'app://talkie/index.html')],
    ['a page from elsewhere in our window', event(OUR_ID, 'https://example.com/')],
    ['a local file', event(OUR_ID, 'file:///tmp/evil.html')],
    ['a sub-frame', event(OUR_ID, 'app://talkie/index.html', { url: 'app://talkie/index.html' })],
    ['a destroyed frame', { sender: { id: OUR_ID }, senderFrame: null }],
  ])('rejects a call from %s without running anything', async (_name, from) => {
    const ipc = fakeIpcMain();
    const dispatch = vi.fn(async () => ({ ok: true as const, value: null }));
    registerIpc(ipc as unknown as IpcMain, dispatch, check);
    const answer = await ipc.handlers.get('cmd:secret.setApiKey')?.(from, { apiKey: 'sk-x' });
    expect(dispatch).not.toHaveBeenCalled();
    expect(answer).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'This command is only accepted from the Talkie window.' },
    });
  });

  it('answers a bad payload from our window with the dispatcher’s plain-words error', async () => {
    const ipc = fakeIpcMain();
    const toggle = vi.fn(async () => undefined);
    registerIpc(
      ipc as unknown as IpcMain,
      createDispatcher({ 'talk.toggle': toggle } as unknown as Handlers),
      check,
    );
    const answer = await ipc.handlers.get('cmd:talk.toggle')?.(event(OUR_ID, 'app://talkie/index.html'), {
      source: 'mouse',
    });
    expect(toggle).not.toHaveBeenCalled();
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});

describe('event broadcast', () => {
  it('sends on the event channel to live windows only', () => {
    const live = { isDestroyed: () => false, send: vi.fn() };
    const dead = { isDestroyed: () => true, send: vi.fn() };
    broadcast([live, dead], 'navigate', { to: 'settings' });
    expect(live.send).toHaveBeenCalledWith(eventChannel('navigate'), { to: 'settings' });
    expect(dead.send).not.toHaveBeenCalled();
  });
});
