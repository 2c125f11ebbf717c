import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./electron-mock'));
const { createGlobalShortcutSource } = await import('../../../src/main/electron/global-shortcut');

describe('toggle shortcut', () => {
  it('registers and unregisters the accelerator with Electron', () => {
    const gs = { register: vi.fn(() => true), unregister: vi.fn() };
    const source = createGlobalShortcutSource(gs);
    const fire = vi.fn();
    expect(source.register('F9', fire)).toBe(true);
    expect(gs.register).toHaveBeenCalledWith('F9', fire);
    source.unregister('F9');
    expect(gs.unregister).toHaveBeenCalledWith('F9');
  });

  it('reports an accelerator Electron refuses as not registered instead of throwing', () => {
    const source = createGlobalShortcutSource({
      register: () => {
        throw new Error('Invalid accelerator');
      },
      unregister: () => {
        throw new Error('Invalid accelerator');
      },
    });
    expect(source.register('Nope', () => undefined)).toBe(false);
    expect(() => source.unregister('Nope')).not.toThrow();
  });
});
