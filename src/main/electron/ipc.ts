/**
 * The contract over Electron IPC: one `ipcMain.handle` per command channel. Every call first checks
 * the sender is our window showing our page, then hands the raw payload to the dispatcher, which
 * validates it against the contract and answers with an Envelope.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { COMMAND_NAMES, commandChannel, eventChannel } from '../../shared/channels';
import type { Envelope, EventName, EventPayload } from '../../shared/contract';
import type { Dispatch } from '../ipc/dispatch';

/** True when the IPC came from one of our windows' main frame showing our page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/**
 * Builds the sender check: the sending webContents must be one of ours (by id) and its frame must
 * be the top frame at our origin (app://talkie, or the dev server in development).
 */
export function createSenderCheck(
  ourWebContentsIds: () => Iterable<number>,
  isAppUrl: (url: string) => boolean,
): SenderCheck {
  return (event) => {
    if (![...ourWebContentsIds()].includes(event.sender.id)) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppUrl(frame.url);
  };
}

const REJECTED: Envelope<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'This command is only accepted from the Talkie window.' },
};

/** Registers every command channel; returns a function that removes them again. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  isOurWindow: SenderCheck,
): () => void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), async (event, payload: unknown): Promise<Envelope<unknown>> => {
      if (!isOurWindow(event)) return REJECTED;
      return dispatch(name, payload);
    });
  }
  return () => {
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name));
  };
}

/** Sends an event to every live window. */
export function broadcast<E extends EventName>(
  targets: Iterable<Pick<WebContents, 'isDestroyed' | 'send'>>,
  name: E,
  payload: EventPayload<E>,
): void {
  for (const contents of targets) {
    if (!contents.isDestroyed()) contents.send(eventChannel(name), payload);
  }
}
