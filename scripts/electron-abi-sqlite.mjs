// better-sqlite3 for Electron. It is our one native module that is not N-API: its binary works only under the ABI
// it was built for, which after `npm ci` is Node's (tests and browser mode need exactly that build). Electron has an
// ABI of its own, so the Electron app needs a second build, made here in one of two ways:
//
// - `node scripts/electron-abi-sqlite.mjs dev` (run by `npm start` and `npm run dev` first, as prestart/predev):
//   builds it once per Electron version into node_modules/.cache/talkie/electron-<version>/better-sqlite3-<version>/,
//   which src/main/index.ts hands to better-sqlite3 (its nativeBinding option) when the app is not packaged. It
//   never fails the start: without a network connection (the headers of Electron, or a prebuilt binary, must be
//   downloaded once) it says so and exits 0, and the app starts with conversations kept in memory only.
//   Options: --force (build again), --from-source (no prebuilt binary), --headers-url <url> (a mirror of
//   https://www.electronjs.org/headers), --out <file> (somewhere else than the cache; for tests).
// - electron-builder hooks (beforePack / afterPack in electron-builder.yml): beforePack builds it against the
//   Electron being packaged and puts it in place of the Node build before electron-builder copies node_modules
//   into the app (naudiodon and uiohook-napi are N-API and load in Electron as built, so no blanket npmRebuild);
//   the Node build is kept aside and afterPack puts it back, so tests and browser mode keep working after
//   `npm run dist`. If packing died in between, `npm rebuild better-sqlite3` restores it too. Packaging for another
//   OS than the host's cannot build native code: package on each OS.
//
// Both build the same way (buildForElectron): @electron/rebuild (a prebuilt binary from better-sqlite3's releases
// when there is one, node-gyp with Electron's headers otherwise) on a copy of the module's sources in a staging
// folder, never in node_modules/better-sqlite3 itself: node-gyp empties build/ first, and the Node build must stay
// there, whole, whatever happens to the Electron one.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MODULE = 'better-sqlite3';
const BINARY = 'better_sqlite3.node';
const binary = (appDir) => join(appDir, 'node_modules', MODULE, 'build', 'Release', BINARY);
const cacheRoot = (appDir) => join(appDir, 'node_modules', '.cache', 'talkie');
const kept = (appDir) => join(appDir, 'node_modules', '.cache', 'talkie-node-abi', BINARY);
// electron-builder's Arch enum: the numbers its hooks pass.
const ARCH = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };
/**
 * npm hands its config to scripts as npm_config_* variables, and node-gyp lets them override its command line: a
 * `nodedir` in ~/.npmrc (as on our build machines) would build against Node's headers and label the result
 * Electron's. None of these may steer a build for Electron.
 */
const STEERING = /^npm_config_(nodedir|target|target_arch|arch|runtime|disturl|dist_url)$/i;

/**
 * Where the development build for Electron `electronVersion` of better-sqlite3 `moduleVersion` lives. Keep in step
 * with electronDevBuildPath in src/main/core/store/native-binding.ts (test/main/core/store checks they agree).
 */
export function devBuildPath(appDir, electronVersion, moduleVersion) {
  return join(cacheRoot(appDir), `electron-${electronVersion}`, `${MODULE}-${moduleVersion}`, BINARY);
}

function packageVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Electron's NODE_MODULE_VERSION, or undefined when it cannot be told. */
async function electronAbi(appDir, electronVersion) {
  try {
    if (packageVersion(join(appDir, 'node_modules', 'electron')) === electronVersion) {
      const abi = readFileSync(join(appDir, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
      if (/^\d+$/.test(abi)) return abi;
    }
  } catch {
    // Older Electron packages have no abi_version file: ask node-abi, as @electron/rebuild does.
  }
  try {
    const { getAbi } = await import('node-abi');
    return getAbi(electronVersion, 'electron');
  } catch {
    return undefined;
  }
}

/**
 * Checks that `file` is a build for NODE_MODULE_VERSION `abi` by loading it in a plain Node child process, which
 * refuses it and names the version it was built for. Throws when it is the wrong build (e.g. one that loads in
 * Node); passes when it cannot tell (another architecture, another OS's linker).
 */
function checkAbi(file, abi) {
  if (abi === undefined || abi === process.versions.modules) return;
  const probe = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], { encoding: 'utf8' });
  if (probe.status === 0)
    throw new Error(`the result loads in Node.js ${process.version}, so it is not a build for Electron`);
  const built = /using\s+NODE_MODULE_VERSION (\d+)/.exec(probe.stderr ?? '')?.[1];
  if (built !== undefined && built !== abi)
    throw new Error(`the result was built for NODE_MODULE_VERSION ${built}, but this Electron needs ${abi}`);
}

/** Removes staging folders left by runs that were interrupted (their process is gone). */
function removeStaleStages(appDir) {
  let names;
  try {
    names = readdirSync(cacheRoot(appDir));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^stage-(\d+)-/.exec(name)?.[1]);
    if (!pid) continue;
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch (error) {
      alive = error.code === 'EPERM';
    }
    if (!alive) rmSync(join(cacheRoot(appDir), name), { recursive: true, force: true });
  }
}

/**
 * Builds better-sqlite3 for Electron in a staging copy of its sources and returns the binary's path there with a
 * function that removes the staging folder. The module in node_modules is only read. What @electron/rebuild and
 * node-gyp print goes to `log` (a function taking text), not to the terminal.
 */
export async function buildForElectron({
  appDir,
  electronVersion,
  arch,
  platform,
  headerURL,
  fromSource,
  log,
}) {
  const source = join(appDir, 'node_modules', MODULE);
  const moduleVersion = packageVersion(source);
  if (!moduleVersion) throw new Error(`${MODULE} is not installed in ${join(appDir, 'node_modules')}`);
  removeStaleStages(appDir);
  // Inside node_modules/.cache, so @electron/rebuild finds prebuild-install in the project's node_modules.
  const stage = join(cacheRoot(appDir), `stage-${process.pid}-${Date.now()}`);
  const cleanup = () => rmSync(stage, { recursive: true, force: true });
  const steering = Object.keys(process.env).filter((key) => STEERING.test(key));
  const saved = steering.map((key) => [key, process.env[key]]);
  const consoleError = console.error;
  try {
    const staged = join(stage, 'node_modules', MODULE);
    cpSync(source, staged, {
      recursive: true,
      filter: (path) => {
        const inside = relative(source, path).split(/[\\/]/)[0];
        return inside !== 'build' && inside !== 'node_modules';
      },
    });
    writeFileSync(
      join(stage, 'package.json'),
      JSON.stringify({
        name: 'talkie-electron-abi-stage',
        private: true,
        dependencies: { [MODULE]: moduleVersion },
      }),
    );
    for (const key of steering) delete process.env[key];
    // @electron/rebuild prints node-gyp's whole output when it fails; that goes to the log.
    console.error = (...args) => log(args.map(String).join(' '));
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({
      buildPath: stage,
      projectRootPath: stage,
      electronVersion,
      arch: arch ?? process.arch,
      platform: platform ?? process.platform,
      onlyModules: [MODULE],
      force: true,
      ...(headerURL ? { headerURL } : {}),
      ...(fromSource ? { buildFromSource: true } : {}),
    });
    const built = join(staged, 'build', 'Release', BINARY);
    if (!existsSync(built)) throw new Error(`the build finished without ${BINARY}`);
    if ((arch ?? process.arch) === process.arch && (platform ?? process.platform) === process.platform)
      checkAbi(built, await electronAbi(appDir, electronVersion));
    return { binary: built, moduleVersion, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  } finally {
    console.error = consoleError;
    for (const [key, value] of saved) process.env[key] = value;
  }
}

/** What went wrong, for people: no network (the usual case on an offline machine), or the build's own words. */
function explain(error, logText) {
  const message = String(error?.message ?? error);
  const network =
    /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up/i;
  if (network.test(`${message}\n${logText}`))
    return { offline: true, why: 'no network connection to download it' };
  const lines = logText.split('\n').map((line) => line.trim());
  // The compiler's first complaint (a missing header, a missing compiler), else the first error thrown.
  const compiler = lines.find((line) => /\.(c|cc|cpp|h|hpp)[:(]\d.*\b(fatal )?error\b/i.test(line));
  const thrown = lines.find((line) => /^(gyp ERR! (stack )?)?([A-Z]\w*)?Error( \[\w+\])?: /.test(line));
  return {
    offline: false,
    why: (compiler ?? thrown ?? message).replace(/^gyp ERR! (stack )?/, '').replace(/\.$/, ''),
  };
}

/** `dev`: the development build for the installed Electron, cached by its version. Always exits 0. */
async function dev(args) {
  const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const option = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  const say = (line) => console.log(`Talkie: ${line}`);
  const electronVersion = packageVersion(join(appDir, 'node_modules', 'electron'));
  const moduleVersion = packageVersion(join(appDir, 'node_modules', MODULE));
  if (!electronVersion || !moduleVersion) {
    say(`Electron or ${MODULE} is not installed yet (run npm ci); nothing to build for Electron.`);
    return;
  }
  const target = option('--out')
    ? resolve(option('--out'))
    : devBuildPath(appDir, electronVersion, moduleVersion);
  const shown = relative(appDir, target).startsWith('..') ? target : relative(appDir, target);
  if (existsSync(target) && !args.includes('--force')) {
    say(
      `the database module (${MODULE} ${moduleVersion}) for Electron ${electronVersion} is ready: ${shown}`,
    );
    return;
  }
  say(
    `building the database module (${MODULE} ${moduleVersion}) for Electron ${electronVersion}, once for this ` +
      `version, into ${shown}. The Node.js build in node_modules (for tests and browser mode) is not touched.`,
  );
  const lines = [];
  const logFile = join(dirname(target), 'build.log');
  try {
    const started = Date.now();
    const { binary: built, cleanup } = await buildForElectron({
      appDir,
      electronVersion,
      headerURL: option('--headers-url'),
      fromSource: args.includes('--from-source'),
      log: (text) => lines.push(text),
    });
    try {
      mkdirSync(dirname(target), { recursive: true });
      // Copied under another name, then renamed: the app never finds half a file.
      copyFileSync(built, `${target}.tmp-${process.pid}`);
      renameSync(`${target}.tmp-${process.pid}`, target);
    } finally {
      cleanup();
    }
    say(`done in ${Math.round((Date.now() - started) / 1000)} s; the app will save conversations.`);
  } catch (error) {
    const logText = lines.join('\n');
    let details = '';
    try {
      mkdirSync(dirname(logFile), { recursive: true });
      writeFileSync(logFile, `${error?.stack ?? error}\n\n${logText}\n`);
      details = ` Details: ${relative(appDir, logFile).startsWith('..') ? logFile : relative(appDir, logFile)}`;
    } catch {
      // No log then; the message below still says what happened.
    }
    const { offline, why } = explain(error, logText);
    say(
      offline
        ? `could not build the database module for Electron ${electronVersion}: ${why} (Electron's headers, or a ` +
            'prebuilt binary, are needed once for this version).'
        : `could not build the database module for Electron ${electronVersion}: ${why}.`,
    );
    say(
      'the app starts anyway, but without saving conversations (they are kept in memory until it quits). ' +
        `${offline ? 'Start it again when this computer is online' : 'Fix the build, then start again'} ` +
        `(or run: node scripts/electron-abi-sqlite.mjs dev).${details}`,
    );
  }
}

/** @param {import('app-builder-lib').BeforePackContext} context */
export async function beforePack(context) {
  const { appDir, framework } = context.packager.info;
  // A kept copy left by an interrupted run is the Node build: never overwrite it with an Electron one.
  if (!existsSync(kept(appDir))) {
    mkdirSync(dirname(kept(appDir)), { recursive: true });
    copyFileSync(binary(appDir), kept(appDir));
  }
  const arch = ARCH[context.arch] ?? process.arch;
  console.log(
    `  • rebuilding ${MODULE} for Electron ${framework.version} (${context.electronPlatformName}, ${arch})`,
  );
  const lines = [];
  try {
    const built = await buildForElectron({
      appDir,
      electronVersion: framework.version,
      arch,
      platform: context.electronPlatformName,
      log: (text) => lines.push(text),
    });
    try {
      copyFileSync(built.binary, binary(appDir));
    } finally {
      built.cleanup();
    }
  } catch (error) {
    // electron-builder stops here without calling afterPack.
    restore(appDir);
    if (lines.length > 0) console.error(lines.join('\n'));
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

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'dev')
    // Never in the way of starting the app: whatever happens here, the start goes on.
    await dev(rest).catch((error) =>
      console.log(`Talkie: the database module for Electron was not built (${error?.message ?? error}).`),
    );
  else {
    console.error(
      'usage: node scripts/electron-abi-sqlite.mjs dev [--force] [--from-source] [--headers-url <url>] [--out <file>]',
    );
    process.exitCode = 2;
  }
}
