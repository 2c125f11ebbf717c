import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));
const { applyLoginItem, autostartDesktopEntry, claimSingleInstance, parseMainArgs, trackQuitting } =
  await import('../../../src/main/electron/lifecycle');

describe('command line', () => {
  it.each([
    [['--data-dir', '/tmp/x'], { dataDir: '/tmp/x', hidden: false, talk: null }],
    [['--data-dir=/tmp/y', '--hidden'], { dataDir: '/tmp/y', hidden: true, talk: null }],
    [['.', '--no-sandbox', '--inspect=9229'], { dataDir: null, hidden: false, talk: null }],
    [['--data-dir='], { dataDir: null, hidden: false, talk: null }],
    [['--data-dir'], { dataDir: null, hidden: false, talk: null }],
  ])('reads %o', (argv, expected) => {
    expect(parseMainArgs(argv)).toEqual(expected);
  });

  it.each([
    ['--toggle', 'toggle'],
    ['--press', 'press'],
    ['--release', 'release'],
  ])('reads %s as a push-to-talk command', (flag, talk) => {
    expect(parseMainArgs(['--data-dir', '/d', flag]).talk).toEqual({ action: talk });
  });

  it('reads the mode a push-to-talk command names, by name with spaces or by id', () => {
    expect(parseMainArgs(['--press', '--mode', 'Translate to French']).talk).toEqual({
      action: 'press',
      mode: 'Translate to French',
    });
    expect(parseMainArgs(['--mode=translate-french', '--toggle']).talk).toEqual({
      action: 'toggle',
      mode: 'translate-french',
    });
    // Without a talk command there is nothing for a mode to go with.
    expect(parseMainArgs(['--mode', 'x']).talk).toBeNull();
  });
});

class FakeApp extends EventEmitter {
  lock = true;
  quits = 0;
  login: unknown[] = [];
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  quit(): void {
    this.quits++;
  }
  setLoginItemSettings(settings: unknown): void {
    this.login.push(settings);
  }
}

describe('single instance', () => {
  it('a second launch quits at once', () => {
    const app = new FakeApp();
    app.lock = false;
    expect(claimSingleInstance(app as never, () => undefined)).toBe(false);
    expect(app.quits).toBe(1);
  });

  it('the running app shows its window when launched again', () => {
    const app = new FakeApp();
    const focus = vi.fn();
    expect(claimSingleInstance(app as never, focus)).toBe(true);
    app.emit('second-instance', {}, ['talkie'], '/');
    expect(focus).toHaveBeenCalledTimes(1);
    expect(app.quits).toBe(0);
  });

  it('hands `talkie --toggle` (and --press / --release) to the running app without showing its window', () => {
    const app = new FakeApp();
    const focus = vi.fn();
    const talk = vi.fn();
    expect(claimSingleInstance(app as never, focus, talk)).toBe(true);
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--toggle'], '/');
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--press'], '/');
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--release'], '/');
    app.emit('second-instance', {}, ['/usr/bin/talkie', '--press', '--mode', 'Short answers'], '/');
    expect(talk.mock.calls).toEqual([
      [{ action: 'toggle' }],
      [{ action: 'press' }],
      [{ action: 'release' }],
      [{ action: 'press', mode: 'Short answers' }],
    ]);
    expect(focus).not.toHaveBeenCalled();
  });

  it('remembers that the user chose Quit', () => {
    const app = new FakeApp();
    const quitting = trackQuitting(app as never);
    expect(quitting()).toBe(false);
    app.emit('before-quit');
    expect(quitting()).toBe(true);
  });
});

describe('start at login', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'talkie-autostart-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('uses Electron’s login item on macOS and Windows, hidden when asked', () => {
    const app = new FakeApp();
    applyLoginItem(
      app as never,
      { startAtLogin: true, startHidden: true },
      { platform: 'win32', exec: 'x', configHome: home },
    );
    applyLoginItem(
      app as never,
      { startAtLogin: false, startHidden: false },
      { platform: 'darwin', exec: 'x', configHome: home },
    );
    expect(app.login).toEqual([
      { openAtLogin: true, openAsHidden: true, args: ['--hidden'] },
      { openAtLogin: false, openAsHidden: false, args: [] },
    ]);
  });

  it('writes and removes an XDG autostart entry on Linux', () => {
    const app = new FakeApp();
    const env = { platform: 'linux' as const, exec: '/opt/Talkie/talkie app', configHome: home };
    applyLoginItem(app as never, { startAtLogin: true, startHidden: true }, env);
    const file = join(home, 'autostart', 'talkie.desktop');
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Talkie/talkie app" --hidden');
    applyLoginItem(app as never, { startAtLogin: false, startHidden: true }, env);
    expect(existsSync(file)).toBe(false);
    expect(app.login).toEqual([]);
  });

  it('quotes odd characters in the launcher path', () => {
    expect(autostartDesktopEntry('/a/"b"/$c', false)).toContain('Exec="/a/\\"b\\"/\\$c"\n');
  });
});
