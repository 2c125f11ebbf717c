// electron-builder hooks (beforePack / afterPack in electron-builder.yml) for better-sqlite3, our one native module
// that is not N-API: its binary works only under the ABI it was built for, which after `npm ci` is Node's.
// beforePack rebuilds that module alone against the Electron being packaged (naudiodon and uiohook-napi are N-API
// and load in Electron as built, so no blanket npmRebuild), before electron-builder copies node_modules into the app.
// The rebuild happens in place, so the Node binary is kept aside first and put back after packing: tests and browser
// mode (plain Node) keep working after `npm run dist`. If packing died in between, `npm rebuild better-sqlite3`
// restores it too. Packaging for another OS than the host's cannot rebuild native code: package on each OS.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MODULE = 'better-sqlite3';
const binary = (appDir) => join(appDir, 'node_modules', MODULE, 'build', 'Release', 'better_sqlite3.node');
const kept = (appDir) => join(appDir, 'node_modules', '.cache', 'talkie-node-abi', 'better_sqlite3.node');
// electron-builder's Arch enum: the numbers its hooks pass.
const ARCH = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** @param {import('app-builder-lib').BeforePackContext} context */
export async function beforePack(context) {
  const { appDir, framework } = context.packager.info;
  // A kept copy left by an interrupted run is the Node build: never overwrite it with an Electron one.
  if (!existsSync(kept(appDir))) {
    mkdirSync(dirname(kept(appDir)), { recursive: true });
    copyFileSync(binary(appDir), kept(appDir));
  }
  const { rebuild } = await import('@electron/rebuild');
  console.log(
    `  • rebuilding ${MODULE} for Electron ${framework.version} (${context.electronPlatformName}, ${ARCH[context.arch]})`,
  );
  try {
    await rebuild({
      buildPath: appDir,
      electronVersion: framework.version,
      arch: ARCH[context.arch] ?? process.arch,
      platform: context.electronPlatformName,
      onlyModules: [MODULE],
      force: true,
    });
  } catch (error) {
    // electron-builder stops here without calling afterPack, and node-gyp has already emptied build/.
    restore(appDir);
    throw error;
  }
}

/** @param {import('app-builder-lib').AfterPackContext} context */
export async function afterPack(context) {
  restore(context.packager.info.appDir);
}

function restore(appDir) {
  if (!existsSync(kept(appDir))) return;
  mkdirSync(dirname(binary(appDir)), { recursive: true });
  copyFileSync(kept(appDir), binary(appDir));
  rmSync(kept(appDir));
}
