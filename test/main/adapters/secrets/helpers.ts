/** Shared fixtures for the key-store tests: a real settings store in a temp dir, and disk greps. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openConfSettings } from '../../../../src/main/adapters/settings/conf-store';
import type { OpenedSettingsStore } from '../../../../src/main/core/settings/store';

export const KEY = 'sk-test-DO-NOT-LEAK-0123456789abcdef';

/** Every file under `dir` whose bytes contain `needle` (also as base64, in case of lazy encoding). */
export function filesContaining(dir: string, needle: string): string[] {
  const variants = [needle, Buffer.from(needle).toString('base64')];
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const text = readFileSync(path).toString('latin1');
    if (variants.some((v) => text.includes(v))) hits.push(name);
  }
  return hits;
}

export const settingsIn = (dir: string): OpenedSettingsStore => openConfSettings(dir);
