import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
> & {
  linux: { target: string[] };
  win: { target: string[] };
  mac: {
    target: string[];
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    extendInfo: Record<string, string>;
  };
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  icon: string;
};

describe('electron-builder config', () => {
  it('is valid against electron-builder’s own schema', () => {
    const schema = JSON.parse(
      readFileSync(resolve(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds an AppImage and a deb, an NSIS installer, and a dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('asks for the microphone on macOS with a reason, under the hardened runtime', () => {
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/voice/);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('build/entitlements.mac.plist');
    const plist = readFileSync(resolve(root, config.mac.entitlements), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
  });

  it('unpacks native code (naudiodon with libportaudio, uiohook prebuilds) from the asar', () => {
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/*.node',
        '**/node_modules/naudiodon/build/Release/**',
        '**/node_modules/uiohook-napi/prebuilds/**',
      ]),
    );
  });

  it('ships the icons the app and the tray use', () => {
    expect(readFileSync(resolve(root, config.icon)).subarray(1, 4).toString()).toBe('PNG');
    expect(config.extraResources).toContainEqual({ from: 'resources/tray', to: 'tray' });
  });
});
