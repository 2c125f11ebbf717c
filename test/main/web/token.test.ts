import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageToken, TOKEN_FILE } from '../../../src/main/web/token';

const folder = (): string => mkdtempSync(join(tmpdir(), 'talkie-token-'));

describe('browser mode page token', () => {
  it('is the same for the same data folder, so an open page survives a restart', () => {
    const dir = folder();
    const first = pageToken(dir);
    expect(first).toMatch(/^[\w-]{32}$/);
    expect(pageToken(dir)).toBe(first);
    expect(pageToken(folder())).not.toBe(first);
  });

  it('is readable by the user only', () => {
    const dir = folder();
    pageToken(dir);
    expect(statSync(join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
  });

  it('replaces a damaged token file instead of using it', () => {
    const dir = folder();
    writeFileSync(join(dir, TOKEN_FILE), 'short\n', { mode: 0o644 });
    const token = pageToken(dir);
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(readFileSync(join(dir, TOKEN_FILE), 'utf8').trim()).toBe(token);
    expect(statSync(join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
  });
});
