/**
 * Browser mode's answer to `talkie --toggle`: `node out/main/web.js --toggle --data-dir DIR` (or
 * --press / --release) reaches the browser mode running on DIR through a Unix socket in DIR, readable
 * by the user only, the way the desktop app's single-instance lock carries them. A key bound in the
 * compositor can run it on Wayland without the portal.
 */
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export type TalkAction = 'toggle' | 'press' | 'release';
/** A talk command, in a mode named by name or id (`--mode`) or in the mode chosen in the window. */
export interface TalkCommand {
  action: TalkAction;
  mode?: string;
}
const ACTIONS: readonly string[] = ['toggle', 'press', 'release'];

/** Where the running browser mode listens for talk commands. */
export function talkSocketPath(dataDir: string): string {
  return join(dataDir, 'talk.sock');
}

/**
 * Listens for talk commands; resolves once listening. A stale socket from a dead run is replaced. `onCommand`
 * returns why it did nothing (an unknown mode), which the sender prints, or null.
 */
export async function serveTalkCommands(
  path: string,
  onCommand: (command: TalkCommand) => string | null,
): Promise<{ close(): Promise<void> }> {
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('\n')) return;
      // One line: the action, then a tab and the mode when one is named.
      const [action = '', mode] = (text.split('\n')[0] ?? '').split('\t', 2);
      if (!ACTIONS.includes(action.trim())) return void socket.end('unknown command\n');
      const problem = onCommand({
        action: action.trim() as TalkAction,
        ...(mode !== undefined ? { mode: mode.replace(/\s+/g, ' ') } : {}),
      });
      socket.end(problem === null ? 'ok\n' : `error ${problem.replace(/\n/g, ' ')}\n`);
    });
    socket.on('error', () => undefined); // a client that hangs up early is no concern of ours
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

/** Sends one command to the browser mode running on `path`; rejects in words when none listens. */
export function sendTalkCommand(path: string, command: TalkCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let answer = '';
    socket.setEncoding('utf8');
    const mode = command.mode === undefined ? '' : `\t${command.mode.replace(/[\t\n]/g, ' ')}`;
    socket.on('connect', () => socket.write(`${command.action}${mode}\n`));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => {
      if (answer.startsWith('ok')) resolve();
      else if (answer.startsWith('error ')) reject(new Error(answer.slice('error '.length).trim()));
      else reject(new Error(`browser mode answered: ${answer.trim()}`));
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
            ? `no browser mode with --global-hotkey is running on this data folder (${path})`
            : error.message,
        ),
      ),
    );
  });
}
