/**
 * Browser mode entry: `node out/main/web.js --port 0 --data-dir DIR`. The same core as the desktop app,
 * in plain Node, serving the built renderer on 127.0.0.1. Prints exactly one line: the page URL.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app';
import { parseCliArgs } from './args';
import { startWebServer } from './server';
import { pageToken } from './token';
import { openBrowserModeStores } from './stores';
import { loadAudioEngine } from '../audio';
import { createPortalSource } from '../adapters/hotkey/portal';
import { createUiohookSource } from '../adapters/hotkey/uiohook';
import { attachHotkey, type AttachedHotkey } from '../core/hotkey/attach';
import { errorMessage } from '../../shared/error-message';
import { sendTalkCommand, serveTalkCommands, talkSocketPath } from './talk-socket';

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.talk) {
    // A key bound in the compositor: hand the command to the running browser mode and exit.
    try {
      await sendTalkCommand(talkSocketPath(options.dataDir), {
        action: options.talk,
        ...(options.mode !== undefined ? { mode: options.mode } : {}),
      });
    } catch (error) {
      console.error(`Talkie --${options.talk}: ${errorMessage(error)}`);
      process.exit(1);
    }
    process.exit(0);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const { settings, secrets, notices } = openBrowserModeStores(options.dataDir);
  const audio = await loadAudioEngine();
  let hotkey: AttachedHotkey | null = null;
  let talkSocket: { close(): Promise<void> } | null = null;
  const app = await createApp({
    settings,
    secrets,
    audio,
    dataDir: options.dataDir,
    shell: 'browser',
    env: process.env,
    startupNotices: notices,
    hotkeyStatus: () => hotkey?.status(),
    imageWorkerFile: join(__dirname, 'image-worker.js'),
  });
  if (options.globalHotkey) {
    // Same key sources as the desktop app (the desktop portal on Wayland, over the session bus in
    // DBUS_SESSION_BUS_ADDRESS), minus Electron's globalShortcut (so no toggle-mode fallback).
    hotkey = attachHotkey(
      {
        platform: process.platform,
        env: process.env,
        native: createUiohookSource(),
        shortcut: null,
        portal: createPortalSource(),
        commandLine: `node ${process.argv[1] ?? 'out/main/web.js'} --data-dir ${options.dataDir}`,
      },
      app,
      settings,
    );
    const attached = hotkey;
    talkSocket = await serveTalkCommands(talkSocketPath(options.dataDir), (command) =>
      attached.command(command.action, command.mode),
    ).catch((error: unknown) => {
      console.error(`Talkie: talk commands (--toggle) are off: ${errorMessage(error)}`);
      return null;
    });
    await hotkey.ready;
  }
  const server = await startWebServer({
    token: pageToken(options.dataDir),
    dispatch: app.dispatch,
    events: app.onEvent,
    rendererDir: options.rendererDir ?? join(__dirname, '../renderer'),
    port: options.port,
  });
  console.log(`Talkie browser mode: ${server.url}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    hotkey?.dispose();
    // A stuck audio driver or socket must not keep the process alive: give a clean shutdown 3 s.
    const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 3000).unref());
    const outcome = await Promise.race([
      Promise.all([server.close(), app.dispose(), talkSocket?.close()]).then(() => 'clean' as const),
      timeout,
    ]).catch(() => 'failed' as const);
    if (outcome !== 'clean') console.error(`Talkie stopped without a clean shutdown (${outcome}).`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`Talkie could not start: ${errorMessage(error)}`);
  process.exit(1);
});
