/**
 * The preload: one frozen function per allow-listed command and an event subscription limited to
 * allow-listed events. No raw ipcRenderer, no process.env, nothing else reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_NAMES, EVENT_NAMES, commandChannel, eventChannel } from '../shared/channels';
import type { EventName, RawApi } from '../shared/contract';

const api: Record<string, unknown> = {};
for (const name of COMMAND_NAMES) {
  api[name] = Object.freeze((request: unknown) => ipcRenderer.invoke(commandChannel(name), request));
}
api.on = Object.freeze((event: EventName, listener: (payload: unknown) => void): (() => void) => {
  if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event: ${String(event)}`);
  if (typeof listener !== 'function') throw new Error('on() needs a listener function');
  const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(eventChannel(event), handler);
  return () => {
    ipcRenderer.removeListener(eventChannel(event), handler);
  };
});

contextBridge.exposeInMainWorld('api', Object.freeze(api) as RawApi);
