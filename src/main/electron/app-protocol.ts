/**
 * The renderer is served from `app://talkie/…` instead of file://, so the page has its own origin
 * (a sender check can tell it from any other local file) and every response carries the CSP header.
 * The handler is plain fetch-API code: tested in Node without Electron.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './csp';

/** The renderer's URL scheme. */
export const APP_SCHEME = 'app';
/** The renderer's host under that scheme. */
export const APP_HOST = 'talkie';
/** Where the window loads in a packaged or previewed app. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads outside development. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for `protocol.registerSchemesAsPrivileged` (must run before app ready). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

const notFound = (): Response =>
  new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });

/** Builds the `protocol.handle('app', …)` handler serving files from `rendererDir` only. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir + sep);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || request.method !== 'GET')
      return notFound();
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    // The standard-scheme URL parser already folds "..", but a second check costs nothing.
    if (!file.startsWith(root)) return notFound();
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return notFound();
    }
  };
}
