/**
 * The check a link from a reply passes before Talkie opens it: server text decides where a link points, so only
 * web and mail links open, never a local file, a custom scheme that starts another program, or a URL carrying
 * credentials.
 */

/** Allowed, or refused with the reason in plain words. */
export type LinkCheck = { ok: true; url: string } | { ok: false; reason: string };

const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/** Checks a link; the normalised URL comes back when it may open. */
export function checkLink(raw: string): LinkCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'That is not a complete web address, so Talkie did not open it.' };
  }
  if (!ALLOWED.has(url.protocol))
    return {
      ok: false,
      reason: `Talkie opens only web and mail links; this one is ${url.protocol.replace(':', '')}:, so it was not opened.`,
    };
  if (url.username || url.password)
    return { ok: false, reason: 'The link carries a user name or password, so Talkie did not open it.' };
  return { ok: true, url: url.href };
}
