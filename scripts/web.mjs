#!/usr/bin/env node
// `npm run web -- [--port N] [--data-dir DIR] [--no-build]`: build, then run browser mode
// (the real main-process core in plain Node, the real renderer in any local browser).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isPortAudioNoise } from './portaudio-noise.mjs';
import { parseWebArgs } from './web-args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--entry simulator` runs the standalone simulator instead of browser mode (npm run simulator).
let parsed;
try {
  parsed = parseWebArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${/** @type {Error} */ (error).message}\n`);
  process.exit(2);
}
const { entry, skipBuild, passThrough } = parsed;

if (!skipBuild || !existsSync(join(root, `out/main/${entry}.js`))) {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Quiet on success, so the one line browser mode prints (its URL) is the only output.
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    process.exit(build.status ?? 1);
  }
}

const child = spawn(process.execPath, [join(root, `out/main/${entry}.js`), ...passThrough], {
  cwd: root,
  stdio: ['inherit', 'inherit', 'pipe'],
});
// Keep Talkie's own messages, drop the sound libraries' device probing (see portaudio-noise.mjs).
createInterface({ input: child.stderr }).on('line', (line) => {
  if (!isPortAudioNoise(line)) process.stderr.write(`${line}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
