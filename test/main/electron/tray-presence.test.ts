import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));
const { trayPolicy } = await import('../../../src/main/electron/tray-presence');
const { attachCloseToTray } = await import('../../../src/main/electron/window');
const { FakeBrowserWindow } = await import('./electron-mock');

function closeWith(closeToTray: () => boolean): { prevented: boolean; visible: boolean } {
  const win = new FakeBrowserWindow({});
  win.show();
  attachCloseToTray(win as never, { closeToTray, isQuitting: () => false });
  let prevented = false;
  win.emit('close', { preventDefault: () => (prevented = true) });
  return { prevented, visible: win.visible };
}

describe('without a system tray', () => {
  it('closing the window quits instead of hiding it where it could never be found', () => {
    const rules = trayPolicy({ kind: 'absent', reason: 'no watcher' });
    expect(closeWith(() => rules.closeToTray(true))).toEqual({ prevented: false, visible: true });
    expect(rules.startHidden(true)).toBe(false);
    expect(rules.notice).toMatch(
      /^No system tray on this desktop \(no watcher\): closing the window quits Talkie/,
    );
  });

  it('with a tray (or when it cannot be told) the settings apply as they are', () => {
    for (const rules of [
      trayPolicy({ kind: 'present' }),
      trayPolicy({ kind: 'unknown', reason: 'no bus' }),
    ]) {
      expect(closeWith(() => rules.closeToTray(true))).toEqual({ prevented: true, visible: false });
      expect(rules.closeToTray(false)).toBe(false);
      expect(rules.startHidden(true)).toBe(true);
      expect(rules.notice).toBeNull();
    }
  });
});
