/**
 * Where the desktop app in development finds better-sqlite3 built for its Electron. The build in node_modules is
 * for Node (tests, browser mode) and does not load in Electron (better-sqlite3 is not N-API); `npm start` and
 * `npm run dev` first make one for Electron beside it (scripts/electron-abi-sqlite.mjs dev). Packaged apps carry
 * the Electron build in place of the Node one and need none of this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The file `scripts/electron-abi-sqlite.mjs dev` writes for Electron `electronVersion` and better-sqlite3
 * `moduleVersion` (keep in step with devBuildPath there; a test checks they agree).
 */
export function electronDevBuildPath(
  projectDir: string,
  electronVersion: string,
  moduleVersion: string,
): string {
  return join(
    projectDir,
    'node_modules',
    '.cache',
    'talkie',
    `electron-${electronVersion}`,
    `better-sqlite3-${moduleVersion}`,
    'better_sqlite3.node',
  );
}

/**
 * The development build for this Electron and the installed better-sqlite3, when it has been made. `fromDir` is
 * the project or any folder inside it (the app's path is out/main when Electron is launched with the script).
 */
export function electronDevBuild(fromDir: string, electronVersion: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const moduleVersion = versionOf(join(dir, 'node_modules', 'better-sqlite3', 'package.json'));
    if (moduleVersion !== undefined) {
      const file = electronDevBuildPath(dir, electronVersion, moduleVersion);
      return existsSync(file) ? file : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function versionOf(manifest: string): string | undefined {
  try {
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
