import { describe, expect, it } from 'vitest';
import { enableFeatures } from '../../../src/main/electron/features';

/** A command line that keeps switches the way Chromium's does: one value per name, last write wins. */
function commandLine(initial: Record<string, string> = {}) {
  const switches = new Map(Object.entries(initial));
  return {
    switches,
    appendSwitch: (name: string, value = ''): void => void switches.set(name, value),
    hasSwitch: (name: string): boolean => switches.has(name),
    getSwitchValue: (name: string): string => switches.get(name) ?? '',
  };
}

describe('Chromium features', () => {
  it('switches on the GlobalShortcutsPortal feature', () => {
    const cl = commandLine();
    enableFeatures(cl);
    expect(cl.switches.get('enable-features')).toBe('GlobalShortcutsPortal');
  });

  it('keeps features enabled before it instead of replacing them', () => {
    const cl = commandLine({ 'enable-features': 'UseOzonePlatform, WaylandWindowDecorations' });
    enableFeatures(cl);
    expect(cl.switches.get('enable-features')).toBe(
      'UseOzonePlatform,WaylandWindowDecorations,GlobalShortcutsPortal',
    );
  });

  it('does not list a feature twice when it was already on', () => {
    const cl = commandLine({ 'enable-features': 'GlobalShortcutsPortal' });
    expect(enableFeatures(cl)).toBe('GlobalShortcutsPortal');
  });
});
