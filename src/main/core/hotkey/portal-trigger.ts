/**
 * An accelerator chord as the desktop portal's `preferred_trigger`: the freedesktop shortcuts
 * format, modifiers CTRL, ALT, SHIFT, LOGO and an xkb keysym name, joined by "+" ("CTRL+SHIFT+space").
 * The desktop treats it as a suggestion; the user may pick another key in its dialog.
 */
import type { Chord } from './accelerator';

/** Electron key names whose xkb keysym is spelled differently. */
const KEYSYMS: Readonly<Record<string, string>> = {
  Space: 'space',
  Enter: 'Return',
  Backspace: 'BackSpace',
  PageUp: 'Page_Up',
  PageDown: 'Page_Down',
  PrintScreen: 'Print',
  ScrollLock: 'Scroll_Lock',
  CapsLock: 'Caps_Lock',
  NumLock: 'Num_Lock',
  Plus: 'plus',
  ';': 'semicolon',
  '=': 'equal',
  ',': 'comma',
  '-': 'minus',
  '.': 'period',
  '/': 'slash',
  '`': 'grave',
  '[': 'bracketleft',
  '\\': 'backslash',
  ']': 'bracketright',
  "'": 'apostrophe',
};

/** The chord in the portal's trigger format. */
export function portalTrigger(chord: Chord): string {
  const parts: string[] = [];
  if (chord.modifiers.ctrl) parts.push('CTRL');
  if (chord.modifiers.alt) parts.push('ALT');
  if (chord.modifiers.shift) parts.push('SHIFT');
  if (chord.modifiers.meta) parts.push('LOGO');
  const key = chord.key;
  parts.push(KEYSYMS[key] ?? (/^[A-Z]$/.test(key) ? key.toLowerCase() : key));
  return parts.join('+');
}
