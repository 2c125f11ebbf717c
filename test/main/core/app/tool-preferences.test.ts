import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOL_PREFERENCES_FILE, ToolPreferences } from '../../../../src/main/core/app/tool-preferences';

const folder = (): string => mkdtempSync(join(tmpdir(), 'talkie-toolprefs-'));

describe('tool preferences', () => {
  it('"Always allow" survives a restart', () => {
    const dir = folder();
    ToolPreferences.in(dir).allowAlways('open_url');
    expect(ToolPreferences.in(dir).alwaysAllowed()).toEqual(['open_url']);
  });

  it('starts asking for everything when there is no file', () => {
    expect(ToolPreferences.in(folder()).alwaysAllowed()).toEqual([]);
  });

  it('a damaged file is kept aside, says so, and nothing is allowed', () => {
    const dir = folder();
    writeFileSync(join(dir, TOOL_PREFERENCES_FILE), '{"alwaysAllowed": [');
    const prefs = ToolPreferences.in(dir);
    expect(prefs.alwaysAllowed()).toEqual([]);
    expect(prefs.notices[0]).toMatch(/could not be read.*kept as/);
    expect(existsSync(join(dir, TOOL_PREFERENCES_FILE))).toBe(false);
    expect(readdirSync(dir).some((f) => f.startsWith(`${TOOL_PREFERENCES_FILE}.damaged-`))).toBe(true);
  });
});
