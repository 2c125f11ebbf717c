/**
 * Every command of the contract, written once: both transports (Electron IPC, browser mode) and the
 * in-process callers (tray, hotkey) run these. Composition happens in app.ts; this file only maps a
 * command to what the core does.
 */
import type { Assistant } from './core/app/assistant';
import type { EndpointManager } from './core/app/endpoints';
import type { ToolsService } from './core/app/tools-service';
import type { AudioEngine } from './core/audio/engine';
import type { EventLog } from './core/eventlog/event-log';
import type { PageCapture } from './core/app/page-capture';
import type { SecretStore, SettingsStore } from './core/settings/types';
import { runAudioTest } from './audio-test';
import { checkLink } from './core/links';
import { UserFacingError } from './ipc/dispatch';
import { errorMessage } from '../shared/error-message';
import type { Emit, Handlers } from '../shared/contract';
import type { AppSnapshot, HotkeyStatus, Notice, ScreenSource, SettingsView } from '../shared/types';

/** What the handlers act on. */
export interface HandlerCore {
  assistant: Assistant;
  endpoints: EndpointManager;
  settings: SettingsStore;
  secrets: SecretStore;
  audio: AudioEngine;
  log: EventLog;
  emit: Emit;
  settingsView: () => SettingsView;
  tools: ToolsService;
  /** Notices raised outside the assistant (startup, endpoint problems), kept for a reloaded window. */
  appNotices: () => Notice[];
  hotkeyStatus: () => HotkeyStatus | undefined;
  /** Browser mode: where the page's captures for a global key are awaited. */
  pageCapture?: PageCapture;
  shell: AppSnapshot['shell'];
  platform: string;
  desktop?: {
    hideWindow(): void;
    openExternal?(url: string): Promise<void>;
    /** Screens and windows to capture (never Talkie's own), and one frame of one as PNG. */
    screen?: { sources(): Promise<ScreenSource[]>; capture(sourceId: string): Promise<Buffer> };
  };
}

/** The command handlers over a core. */
export function createHandlers(core: HandlerCore): Handlers {
  const { assistant, endpoints, settings, secrets, audio, log, emit, settingsView, tools } = core;
  // A user-facing refusal (no such conversation…) reads as is in the window.
  const plain = async <T>(run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw error instanceof UserFacingError ? error : new UserFacingError(errorMessage(error));
    }
  };
  return {
    'app.snapshot': async () => {
      const state = assistant.snapshot();
      return {
        ...state,
        notices: [...core.appNotices(), ...state.notices].sort((a, b) => a.at - b.at),
        settings: settingsView(),
        hotkey: core.hotkeyStatus() ?? {
          mode: 'off',
          accelerator: settings.get().hotkey,
          reason:
            'No global hotkey here: hold Space in the window, or the button (the desktop app adds one).',
        },
        shell: core.shell,
        platform: core.platform,
      };
    },
    'talk.press': ({ source, modeId, capture }) => assistant.press(source, modeId, capture),
    'talk.release': ({ source, heldMs }) => assistant.release(source, heldMs),
    'talk.toggle': ({ source }) => assistant.toggle(source),
    'reply.stop': () => assistant.stopReply(),
    'turn.setNext': async (options) => assistant.setNext(options),
    'message.send': ({ text }) => assistant.sendText(text),
    'image.attach': async ({ data, source }) => assistant.attachImage(Buffer.from(data, 'base64'), source),
    'image.remove': async ({ id }) => assistant.removeImage(id),
    'image.get': async ({ id }) => assistant.image(id),
    'screen.sources': async () => {
      const screen = core.desktop?.screen;
      // Browser mode captures in the page (getDisplayMedia) and attaches the frame like any image.
      if (!screen) throw new UserFacingError('Screen capture here is done by the browser.', 'unavailable');
      return plain(() => screen.sources());
    },
    'screen.capture': async ({ sourceId }) => {
      const screen = core.desktop?.screen;
      if (!screen) throw new UserFacingError('Screen capture here is done by the browser.', 'unavailable');
      const png = await plain(() => screen.capture(sourceId));
      return assistant.attachImage(png, 'screen');
    },
    'screen.grab': () => assistant.captureScreen(),
    'screen.frame': async ({ requestId, data, error }) => {
      // An answer nobody waits for (a second tab, a late one) changes nothing.
      core.pageCapture?.answer(requestId, { data, error });
    },
    'turn.retry': ({ turnId }) => assistant.retry(turnId),
    'turn.send': ({ turnId }) => assistant.retry(turnId),
    'turn.discard': ({ turnId }) => assistant.discard(turnId),
    'turn.cancel': async ({ turnId }) => assistant.cancelTurn(turnId),
    'tool.decide': async ({ callId, decision }) => assistant.decideTool(callId, decision),
    'tools.get': async () => tools.view(),
    'tools.setBuiltin': ({ name, enabled }) => plain(() => tools.setBuiltin(name, enabled)),
    'mcp.import': ({ json }) => tools.importBlock(json),
    'mcp.add': ({ server }) => tools.add(server),
    'mcp.remove': ({ name }) => tools.remove(name),
    'mcp.addRemote': async (remote) => tools.addRemote(remote),
    'mcp.removeRemote': async ({ label }) => tools.removeRemote(label),
    'mcp.restart': async ({ name }) => tools.restart(name),
    'mcp.setTool': async ({ server, tool, enabled }) => tools.setTool(server, tool, enabled),
    'link.open': async ({ url }) => {
      const checked = checkLink(url);
      if (!checked.ok) return checked;
      if (!core.desktop?.openExternal) return { ok: true, openedByApp: false };
      await core.desktop.openExternal(checked.url);
      return { ok: true, openedByApp: true };
    },
    'conversation.list': async ({ query }) => assistant.listConversations(query),
    'conversation.new': () => assistant.newConversation(),
    'conversation.open': ({ id }) => plain(() => assistant.openConversation(id)),
    'conversation.rename': ({ id, title }) => plain(() => assistant.renameConversation(id, title)),
    'conversation.delete': async ({ id }) => assistant.deleteConversation(id),
    'conversation.restore': async ({ id }) => assistant.restoreConversation(id),
    'conversation.export': ({ id }) => plain(() => assistant.exportConversation(id)),
    'conversation.continueHere': ({ id }) => plain(() => assistant.continueHere(id)),
    'settings.get': async () => settingsView(),
    'settings.update': async (patch) => {
      const result = settings.update(patch);
      return result.ok ? { ok: true, view: settingsView() } : { ok: false, errors: result.errors };
    },
    'settings.save': async ({ patch, apiKey, acceptPlaintext }) => {
      // Settings and key land together, then one reconnect (never the new server with the old key).
      const result = await endpoints.batch(() => {
        const updated = settings.update(patch);
        if (updated.ok && apiKey) secrets.setApiKey(apiKey, { acceptPlaintext: acceptPlaintext ?? false });
        return updated;
      });
      if (!result.ok) return { ok: false, errors: result.errors };
      const view = settingsView();
      emit('settings', view);
      return { ok: true, view };
    },
    'secret.setApiKey': async ({ apiKey, acceptPlaintext }) => {
      secrets.setApiKey(apiKey, { acceptPlaintext });
      const view = settingsView();
      emit('settings', view);
      await endpoints.apply();
      return view;
    },
    'secret.clearApiKey': async () => {
      secrets.clear();
      const view = settingsView();
      emit('settings', view);
      await endpoints.apply();
      return view;
    },
    'audio.listDevices': () => audio.listDevices(),
    'audio.test': ({ kind, device }) => runAudioTest(audio, kind, device, emit),
    'connection.reconnect': async () => assistant.reconnect(),
    'log.export': async () => ({
      filename: `talkie-log-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
      jsonl: log.toJSONL(),
    }),
    'log.entries': async ({ sinceSeq }) => log.entries(sinceSeq),
    'log.clear': async () => log.clear(),
    'window.hide': async () => {
      if (!core.desktop)
        throw new UserFacingError('Only the desktop app has a window to hide.', 'unavailable');
      core.desktop.hideWindow();
    },
  };
}
