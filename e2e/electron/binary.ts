/**
 * Finds an Electron binary for the `_electron` specs without downloading one: the
 * ELECTRON_OVERRIDE_DIST_PATH folder, or the dist the `electron` package installed. Returns why
 * not when there is none (the specs print it and skip).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const PACKAGE = join(ROOT, 'node_modules/electron');

/** The executable inside an Electron dist folder for this OS. */
function executableIn(dist: string): string {
  const pathTxt = join(PACKAGE, 'path.txt');
  if (existsSync(pathTxt)) return join(dist, readFileSync(pathTxt, 'utf8').trim());
  if (process.platform === 'darwin') return join(dist, 'Electron.app/Contents/MacOS/Electron');
  return join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron');
}

export function findElectronBinary(): { path: string; reason?: undefined } | { path: null; reason: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = executableIn(override);
    return existsSync(exe)
      ? { path: exe }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${exe} does not exist` };
  }
  const exe = executableIn(join(PACKAGE, 'dist'));
  if (existsSync(exe)) return { path: exe };
  return {
    path: null,
    reason:
      'no Electron binary: node_modules/electron/dist is missing (its download is blocked here) and ELECTRON_OVERRIDE_DIST_PATH is not set',
  };
}
