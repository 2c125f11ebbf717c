/**
 * scripts/electron-abi-sqlite.mjs dev, run for real as `npm start` / `npm run dev` run it: here it cannot download
 * Electron's headers, which must never stop the app from starting nor touch the Node build tests and browser mode
 * load. The headers URL is a closed local port and the home folder a fresh one, so this is the same on any machine
 * (a developer's ~/.electron-gyp may already hold the real headers).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devBuildPath } from '../../../../scripts/electron-abi-sqlite.mjs';
import { electronDevBuild, electronDevBuildPath } from '../../../../src/main/core/store/native-binding';

const ROOT = resolve(__dirname, '../../../..');
const SCRIPT = join(ROOT, 'scripts', 'electron-abi-sqlite.mjs');
const NODE_BUILD = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const version = (dir: string): string =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', dir, 'package.json'), 'utf8')) as { version: string })
    .version;
const ELECTRON = version('electron');

const temps: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'talkie-abi-'));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A local port nothing listens on: a download from it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** node-gyp looks for Python first; with HOME changed a pyenv shim would not find it, so it is named. */
function python(): Record<string, string> {
  const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? { PYTHON: found.stdout.trim() } : {};
}

/** The Node build loads and runs SQL in a fresh Node process. */
function nodeBuildWorks(): string {
  const run = spawnSync(
    process.execPath,
    [
      '-e',
      "const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('SELECT 41 + 1 AS n').get().n)",
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return `${run.stdout.trim()}${run.stderr.trim()}`;
}

describe('the development build of better-sqlite3 for Electron (scripts/electron-abi-sqlite.mjs dev)', () => {
  it('cannot download Electron’s headers: says so in plain words, exits 0, and leaves the Node build working', async () => {
    const before = sha256(NODE_BUILD);
    const home = temp();
    const out = join(temp(), 'better_sqlite3.node');
    const run = spawnSync(
      process.execPath,
      [
        SCRIPT,
        'dev',
        '--from-source',
        '--headers-url',
        `http://127.0.0.1:${await closedPort()}`,
        '--out',
        out,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 90_000,
        env: {
          ...process.env,
          ...python(),
          HOME: home,
          USERPROFILE: home,
          // As ~/.npmrc sets it on our build machines: were it obeyed, node-gyp would build against Node's headers
          // (no download, so no failure here) and call the result Electron's.
          npm_config_nodedir: dirname(dirname(process.execPath)),
        },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `Talkie: building the database module (better-sqlite3 ${version('better-sqlite3')}) for Electron ${ELECTRON}`,
    );
    expect(run.stdout).toContain(
      'The Node.js build in node_modules (for tests and browser mode) is not touched.',
    );
    expect(run.stdout).toContain(
      `Talkie: could not build the database module for Electron ${ELECTRON}: no network connection to download it`,
    );
    expect(run.stdout).toContain(
      'the app starts anyway, but without saving conversations (they are kept in memory until it quits)',
    );
    expect(existsSync(out)).toBe(false);
    expect(readFileSync(join(dirname(out), 'build.log'), 'utf8')).toMatch(
      /network connectivity|ECONNREFUSED/,
    );
    // Its staging copy is gone; the Node build is the same file, and works.
    const stages = readdirSync(join(ROOT, 'node_modules', '.cache', 'talkie'));
    expect(stages.filter((name) => name.startsWith(`stage-${run.pid}-`))).toEqual([]);
    expect(sha256(NODE_BUILD)).toBe(before);
    expect(nodeBuildWorks()).toBe('42');
  }, 120_000);

  it('does nothing but say so when the build for this Electron is already there', () => {
    const out = join(temp(), 'better_sqlite3.node');
    writeFileSync(out, 'built before');
    const run = spawnSync(process.execPath, [SCRIPT, 'dev', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`for Electron ${ELECTRON.replaceAll('.', '\\.')} is ready`));
    expect(readFileSync(out, 'utf8')).toBe('built before');
  });

  it('puts the build where the app looks for it, found from the project or any folder inside it', () => {
    expect(devBuildPath('/project', '39.8.10', '12.11.1')).toBe(
      electronDevBuildPath('/project', '39.8.10', '12.11.1'),
    );
    const project = temp();
    mkdirSync(join(project, 'node_modules', 'better-sqlite3'), { recursive: true });
    writeFileSync(join(project, 'node_modules', 'better-sqlite3', 'package.json'), '{"version":"12.11.1"}');
    expect(electronDevBuild(join(project, 'out', 'main'), '39.8.10')).toBeUndefined();
    const file = devBuildPath(project, '39.8.10', '12.11.1');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    expect(electronDevBuild(join(project, 'out', 'main'), '39.8.10')).toBe(file);
    expect(electronDevBuild(project, '39.8.10')).toBe(file);
    // Another Electron, or another better-sqlite3, is another build.
    expect(electronDevBuild(project, '40.0.0')).toBeUndefined();
    writeFileSync(join(project, 'node_modules', 'better-sqlite3', 'package.json'), '{"version":"12.12.0"}');
    expect(electronDevBuild(project, '39.8.10')).toBeUndefined();
  });
});
