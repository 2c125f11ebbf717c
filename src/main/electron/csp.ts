/**
 * The renderer's Content-Security-Policy. Sent as a response header by the app:// protocol (and by
 * the dev server hook); the renderer's index.html carries the same policy as a meta tag fallback.
 * Only the window's own files run; audio is native in main, so nothing needs the network here.
 */

/** The production policy. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // No 'unsafe-inline': the renderer ships its CSS as files (its meta CSP says the same).
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The dev-server policy (`electron-vite dev` only): Vite's HMR socket and React refresh's inline
 * preamble need a little more. Never used for a packaged app.
 */
export function devContentSecurityPolicy(devOrigin: string): string {
  const url = new URL(devOrigin);
  const ws = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ${ws}`,
  );
}
