/**
 * Browser mode's answer to `talkie --toggle`: `node out/main/web.js --toggle --data-dir DIR` (or
 * --press / --release) reaches the browser mode running on DIR through a Unix socket in DIR, readable
 * by the user only, the way the desktop app's single-instance lock carries them. A key bound in the
 * compositor can run it on Wayland without the portal.
 */
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export type TalkCommand = 'toggle' | 'press' | 'release';
const COMMANDS: readonly string[] = ['toggle', 'press', 'release'];

/** Where the running browser mode listens for talk commands. */
export function talkSocketPath(dataDir: string): string {
  return join(dataDir, 'talk.sock');
}

/** Listens for talk commands; resolves once listening. A stale socket from a dead run is replaced. */
export async function serveTalkCommands(
  path: string,
  onCommand: (command: TalkCommand) => void,
): Promise<{ close(): Promise<void> }> {
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('\n')) return;
      const command = text.split('\n')[0]?.trim() ?? '';
      if (COMMANDS.includes(command)) {
        onCommand(command as TalkCommand);
        socket.end('ok\n');
      } else socket.end('unknown command\n');
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
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () =>
      answer.startsWith('ok') ? resolve() : reject(new Error(`browser mode answered: ${answer.trim()}`)),
    );
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
