/**
 * Browser mode's page token, kept in the data folder (readable by the user only), so a page left open keeps
 * working when browser mode is restarted with the same --data-dir: its URL stays valid and it reconnects.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The token file's name in the data folder. */
export const TOKEN_FILE = 'browser-mode-token';
const VALID = /^[\w-]{32,}$/;

/** The data folder's token, made (and written with mode 0600) when there is none or it is not valid. */
export function pageToken(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (VALID.test(kept)) {
      chmodSync(file, 0o600); // a copied or restored folder may have lost the mode
      return kept;
    }
  } catch {
    // None yet (or unreadable): make one.
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}
