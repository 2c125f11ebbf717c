/**
 * Electron accelerator strings ("F9", "CommandOrControl+Shift+Space") as a chord the hotkey machine
 * can match against key events from any source. Key names are normalised so "Return"/"Enter" and
 * "Esc"/"Escape" match whatever the native hook reports.
 */

/** Which modifier keys must be down. */
export interface Modifiers {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
}

/** A key plus the exact modifiers that must be held with it. */
export interface Chord {
  key: string;
  modifiers: Modifiers;
}

/** No modifier held. */
export const NO_MODIFIERS: Readonly<Modifiers> = Object.freeze({
  ctrl: false,
  shift: false,
  alt: false,
  meta: false,
});

/** Key names that are modifiers themselves (as key events report them). */
export const MODIFIER_KEYS: ReadonlySet<string> = new Set(['Control', 'Shift', 'Alt', 'Meta']);

const KEY_ALIASES: Readonly<Record<string, string>> = {
  Return: 'Enter',
  Esc: 'Escape',
};

/** Canonical key name: letters upper-case, aliases folded ("Return" → "Enter"). */
export function normalizeKey(key: string): string {
  if (/^[a-z]$/.test(key)) return key.toUpperCase();
  return KEY_ALIASES[key] ?? key;
}

/**
 * Parses an accelerator. `CommandOrControl` means Command on macOS and Control elsewhere, as in
 * Electron. Returns an error in plain words for anything else.
 */
export function parseAccelerator(
  accelerator: string,
  platform: NodeJS.Platform,
): { ok: true; chord: Chord } | { ok: false; error: string } {
  const parts = accelerator.split('+').map((p) => p.trim());
  // "Control++" is how a plus key would be written; we do not support it (the settings schema does not either).
  const keyPart = parts.pop();
  if (!keyPart) return { ok: false, error: `"${accelerator}" has no key` };
  const modifiers: Modifiers = { ...NO_MODIFIERS };
  for (const part of parts) {
    switch (part) {
      case 'CommandOrControl':
      case 'CmdOrCtrl':
        if (platform === 'darwin') modifiers.meta = true;
        else modifiers.ctrl = true;
        break;
      case 'Control':
      case 'Ctrl':
        modifiers.ctrl = true;
        break;
      case 'Shift':
        modifiers.shift = true;
        break;
      case 'Alt':
      case 'Option':
      case 'AltGr':
        modifiers.alt = true;
        break;
      case 'Command':
      case 'Cmd':
      case 'Super':
      case 'Meta':
        modifiers.meta = true;
        break;
      default:
        return { ok: false, error: `"${part}" is not a modifier (use Control, Shift, Alt or Super)` };
    }
  }
  const key = normalizeKey(keyPart);
  if (MODIFIER_KEYS.has(key)) return { ok: false, error: `"${accelerator}" needs a key besides modifiers` };
  return { ok: true, chord: { key, modifiers } };
}

/** True when the key and exactly these modifiers are down (Shift+F9 does not fire an F9 hotkey). */
export function matchesChord(chord: Chord, key: string, modifiers: Modifiers): boolean {
  return (
    normalizeKey(key) === chord.key &&
    modifiers.ctrl === chord.modifiers.ctrl &&
    modifiers.shift === chord.modifiers.shift &&
    modifiers.alt === chord.modifiers.alt &&
    modifiers.meta === chord.modifiers.meta
  );
}
