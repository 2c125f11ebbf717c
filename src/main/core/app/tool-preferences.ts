/**
 * The user's standing choices about tools: which ones they always allow, kept in the data folder so "Always
 * allow" holds after a restart. A damaged file is set aside and the safe default (ask every time) applies.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../shared/error-message';

/** The file's name in the data folder. */
export const TOOL_PREFERENCES_FILE = 'tool-preferences.json';

interface Stored {
  version: 1;
  alwaysAllowed: string[];
  /** Built-in tools the user switched off (absent in files from before the switch existed). */
  disabledBuiltins?: string[];
}

/** Tool preferences over a JSON file. */
export class ToolPreferences {
  private allowed: string[] = [];
  private disabled: string[] = [];
  /** Plain words about a file that could not be read (shown once as a notice). */
  readonly notices: string[] = [];

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
      if (!Array.isArray(stored.alwaysAllowed)) throw new Error('no list of allowed tools');
      this.allowed = stored.alwaysAllowed.filter((n): n is string => typeof n === 'string');
      this.disabled = (Array.isArray(stored.disabledBuiltins) ? stored.disabledBuiltins : []).filter(
        (n): n is string => typeof n === 'string',
      );
    } catch (error) {
      const kept = `${file}.damaged-${Date.now()}`;
      renameSync(file, kept);
      this.notices.push(
        `Your tool approvals could not be read (${errorMessage(error)}); every tool asks again. The old file is kept as ${kept}.`,
      );
    }
  }

  /** In the data folder. */
  static in(dataDir: string): ToolPreferences {
    return new ToolPreferences(join(dataDir, TOOL_PREFERENCES_FILE));
  }

  alwaysAllowed(): readonly string[] {
    return this.allowed;
  }

  allowAlways(name: string): void {
    if (this.allowed.includes(name)) return;
    this.allowed = [...this.allowed, name];
    this.save();
  }

  /** Built-in tools the user switched off. */
  disabledBuiltins(): readonly string[] {
    return this.disabled;
  }

  setBuiltinEnabled(name: string, enabled: boolean): void {
    if (enabled === !this.disabled.includes(name)) return;
    this.disabled = enabled ? this.disabled.filter((n) => n !== name) : [...this.disabled, name];
    this.save();
  }

  private save(): void {
    const stored: Stored = { version: 1, alwaysAllowed: this.allowed, disabledBuiltins: this.disabled };
    // Written whole and renamed into place, so a crash never leaves half a file.
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }
}
