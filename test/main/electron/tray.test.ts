import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { DEFAULT_SETTINGS } from '../../../src/shared/settings';
import type { ConnectionView, TurnView } from '../../../src/shared/types';

vi.mock('electron', () => import('./electron-mock'));
const { mock } = await import('./electron-mock');
const { createTray, trayMenuTemplate } = await import('../../../src/main/electron/tray');
const { createTrayActions } = await import('../../../src/main/electron/tray-actions');
const { TrayTracker } = await import('../../../src/main/electron/tray-state');

const ICONS = '/icons';
const connected: ConnectionView = {
  state: 'connected',
  provider: 'simulator',
  demoMode: false,
  endpoint: '127.0.0.1',
};
const turn = (phase: TurnView['phase']): TurnView => ({
  id: 't1',
  conversationId: 'c1',
  index: 1,
  input: 'voice',
  replyAs: 'voice',
  assistantText: '',
  hasAudio: false,
  phase,
  timings: {},
  startedAt: 0,
  attempts: 1,
});

/** The tray's actions over a recording dispatcher, as index.ts wires them. */
function rig() {
  const dispatched: Array<[string, unknown]> = [];
  const emitted: Array<[string, unknown]> = [];
  const calls: string[] = [];
  const tracker = new TrayTracker({
    connection: connected,
    settings: {
      settings: { ...DEFAULT_SETTINGS },
      apiKey: { saved: false, storage: 'none', encryptionAvailable: true },
      overrides: [],
    },
    next: { replyAs: 'voice', instructions: 'Answer in French', instructionsMode: 'replace' },
  });
  const actions = createTrayActions({
    handlers: {
      'talk.toggle': async (payload) => {
        dispatched.push(['talk.toggle', payload]);
        if (payload.source !== 'tray') throw new Error('bad');
      },
      'turn.setNext': async (payload) => {
        dispatched.push(['turn.setNext', payload]);
        return payload;
      },
      'settings.update': async (patch) => {
        dispatched.push(['settings.update', patch]);
        if (patch.modeId === 'gone') return { ok: false, errors: { modeId: 'Choose one of the modes' } };
        const settings = { ...DEFAULT_SETTINGS, ...patch };
        return {
          ok: true,
          view: {
            settings,
            apiKey: { saved: false, storage: 'none', encryptionAvailable: true },
            overrides: [],
          },
        };
      },
    },
    emit: ((name: string, payload: unknown) => emitted.push([name, payload])) as never,
    next: () => tracker.nextOptions(),
    showWindow: () => calls.push('show'),
    quit: () => calls.push('quit'),
    onError: (m) => calls.push(`error ${m}`),
  });
  return { dispatched, emitted, calls, tracker, actions };
}

type Item = MenuItemConstructorOptions;
const item = (template: Item[], id: string): Item => {
  const all = template.flatMap((i) => [i, ...((i.submenu as Item[] | undefined) ?? [])]);
  const found = all.find((i) => i.id === id);
  if (!found) throw new Error(`no menu item ${id}`);
  return found;
};
const click = (i: Item): void => (i.click as () => void)();

beforeEach(() => mock.reset());

describe('tray menu', () => {
  it('starts and stops talking through talk.toggle from the tray', async () => {
    const r = rig();
    const menu = trayMenuTemplate(r.tracker.view(), r.actions);
    expect(item(menu, 'talk').label).toBe('Start talking');
    click(item(menu, 'talk'));
    await Promise.resolve();
    expect(r.dispatched).toEqual([['talk.toggle', { source: 'tray' }]]);
    r.tracker.apply('turn', turn('listening'));
    expect(item(trayMenuTemplate(r.tracker.view(), r.actions), 'talk').label).toBe('Send (stop talking)');
  });

  it('changes only "Reply as" of the next turn, keeping its instructions', () => {
    const r = rig();
    const menu = trayMenuTemplate(r.tracker.view(), r.actions);
    expect(item(menu, 'reply-voice')).toMatchObject({ type: 'radio', checked: true });
    expect(item(menu, 'reply-text')).toMatchObject({ type: 'radio', checked: false });
    click(item(menu, 'reply-text'));
    expect(r.dispatched).toEqual([
      ['turn.setNext', { replyAs: 'text', instructions: 'Answer in French', instructionsMode: 'replace' }],
    ]);
  });

  it('lists the modes as radio items and chooses one through settings.update', async () => {
    const r = rig();
    const menu = trayMenuTemplate(r.tracker.view(), r.actions);
    const modes = (item(menu, 'mode').submenu as Item[]).map((i) => [i.label, i.checked]);
    expect(modes).toEqual([
      ['Default', true],
      ['Translate to French', false],
      ['Short answers', false],
    ]);
    click(item(menu, 'mode-translate-french'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.dispatched).toEqual([['settings.update', { modeId: 'translate-french' }]]);
    // Main's settings event moves the radio mark, wherever the choice was made.
    r.tracker.apply('settings', { settings: { ...DEFAULT_SETTINGS, modeId: 'short-answers' } });
    expect(item(trayMenuTemplate(r.tracker.view(), r.actions), 'mode-short-answers').checked).toBe(true);
  });

  it('says why a mode could not be chosen', async () => {
    const r = rig();
    r.actions.chooseMode('gone');
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.calls).toEqual(['error Choose one of the modes']);
  });

  it('opens Settings by showing the window and asking it to navigate', () => {
    const r = rig();
    click(item(trayMenuTemplate(r.tracker.view(), r.actions), 'settings'));
    expect(r.calls).toEqual(['show']);
    expect(r.emitted).toEqual([['navigate', { to: 'settings' }]]);
  });

  it('Capture screen… shows the window and asks it to open its screen picker', () => {
    const r = rig();
    click(item(trayMenuTemplate(r.tracker.view(), r.actions), 'capture'));
    expect(item(trayMenuTemplate(r.tracker.view(), r.actions), 'capture').label).toBe('Capture screen…');
    expect(r.calls).toEqual(['show']);
    expect(r.emitted).toEqual([['navigate', { to: 'capture' }]]);
  });

  it('shows the window and quits from their items', () => {
    const r = rig();
    const menu = trayMenuTemplate(r.tracker.view(), r.actions);
    click(item(menu, 'show'));
    click(item(menu, 'quit'));
    expect(r.calls).toEqual(['show', 'quit']);
    expect(r.dispatched).toEqual([]);
  });

  it('cannot start talking while offline', () => {
    const r = rig();
    r.tracker.apply('connection', { ...connected, state: 'reconnecting' });
    expect(item(trayMenuTemplate(r.tracker.view(), r.actions), 'talk').enabled).toBe(false);
  });

  it('reports a refused command instead of failing silently', async () => {
    const r = rig();
    const actions = createTrayActions({
      handlers: {
        'talk.toggle': async () => {
          throw new Error('No microphone');
        },
        'turn.setNext': async (payload) => payload,
        'settings.update': async () => ({ ok: false, errors: {} }),
      },
      emit: (() => undefined) as never,
      next: () => null,
      showWindow: () => undefined,
      quit: () => undefined,
      onError: (m) => r.calls.push(m),
    });
    actions.toggleTalk();
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.calls).toEqual(['No microphone']);
  });
});

describe('tray icon', () => {
  it('follows the turn state with its image and tooltip', () => {
    const r = rig();
    const tray = createTray(ICONS, r.tracker.view(), r.actions);
    const fake = mock.trays[0];
    expect(fake?.image).toEqual({ path: join(ICONS, 'idle.png') });
    expect(fake?.tooltip).toBe('Talkie — Ready');
    const seen: string[] = [];
    for (const phase of ['listening', 'waiting', 'replying', 'failed', 'done'] as const) {
      const view = r.tracker.apply('turn', turn(phase));
      if (view) tray.update(view);
      seen.push(`${(fake?.image as { path: string }).path} | ${fake?.tooltip ?? ''}`);
    }
    expect(seen).toEqual([
      `${join(ICONS, 'listening.png')} | Talkie — Listening…`,
      `${join(ICONS, 'waiting.png')} | Talkie — Waiting for the reply…`,
      `${join(ICONS, 'replying.png')} | Talkie — Replying…`,
      `${join(ICONS, 'failed.png')} | Talkie — Something went wrong`,
      `${join(ICONS, 'idle.png')} | Talkie — Ready`,
    ]);
    const offline = r.tracker.apply('connection', {
      ...connected,
      state: 'closed',
      reason: 'Closed by the server',
    });
    if (offline) tray.update(offline);
    expect(fake?.image).toEqual({ path: join(ICONS, 'offline.png') });
    expect(fake?.tooltip).toBe('Talkie — Not connected: Closed by the server');
    expect(tray.shown()).toEqual({
      state: 'offline',
      tooltip: 'Talkie — Not connected: Closed by the server',
      destroyed: false,
    });
    tray.destroy();
    expect(fake?.destroyed).toBe(true);
  });

  it('rebuilds the menu when its labels change', () => {
    const r = rig();
    const tray = createTray(ICONS, r.tracker.view(), r.actions);
    const fake = mock.trays[0];
    const first = fake?.menu;
    tray.update(r.tracker.apply('turn', turn('listening')) ?? r.tracker.view());
    const menu = fake?.menu as { template: Item[] };
    expect(menu).not.toBe(first);
    expect(item(menu.template, 'talk').label).toBe('Send (stop talking)');
  });

  it('shows the window on a click on the icon', () => {
    const r = rig();
    createTray(ICONS, r.tracker.view(), r.actions);
    mock.trays[0]?.emit('click');
    expect(r.calls).toEqual(['show']);
  });
});
