import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, createAppProtocolHandler } from '../../../src/main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/electron/csp';

let base: string;
let handler: (request: Request) => Promise<Response>;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'talkie-proto-'));
  mkdirSync(join(base, 'renderer/assets'), { recursive: true });
  writeFileSync(join(base, 'renderer/index.html'), '<!doctype html><title>Talkie</title>');
  writeFileSync(join(base, 'renderer/assets/app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
  handler = createAppProtocolHandler(join(base, 'renderer'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Requests the raw URL (new Request() would fold "..": Electron hands us what the page asked for). */
const get = (url: string, method = 'GET'): Promise<Response> => handler({ url, method } as Request);

describe('app:// protocol', () => {
  it('serves the page with the strict CSP header', async () => {
    const res = await get(APP_INDEX_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('<title>Talkie</title>');
  });

  it('serves scripts with a script type', async () => {
    const res = await get('app://talkie/assets/app.js');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    ['a path escaping the renderer folder', 'app://talkie/../secret.txt'],
    ['an encoded escape', 'app://talkie/%2e%2e/secret.txt'],
    ['another host', 'app://evil/index.html'],
    ['a missing file', 'app://talkie/nope.js'],
    ['a broken escape', 'app://talkie/%E0%A4%A'],
  ])('answers 404 for %s', async (_name, url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('outside the renderer');
  });

  it('accepts reads only', async () => {
    expect((await get(APP_INDEX_URL, 'POST')).status).toBe(404);
  });
});
