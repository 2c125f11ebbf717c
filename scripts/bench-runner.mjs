// What every `npm run bench:*` entry does: run on Electron's V8 tiers, and bundle the TypeScript benchmark with Vite
// (dependencies external, as electron-vite bundles the shipped main process) so it measures code in the form users
// run; then run it as plain JS and return its exit code.
import { spawnSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The app runs in Electron's V8 (Chromium's build), which optimises through Maglev; Node 20's V8 keeps it behind a
 * flag, so a benchmark on Node 20 re-runs itself (the script at `self`) with --maglev. Node 22.9+ is built without
 * Maglev: there the flag is not added. Returns only when no re-run was needed.
 */
export function onElectronTiers(self) {
  if (Number(process.versions.node.split('.')[0]) >= 22 || process.execArgv.includes('--maglev')) return;
  const run = spawnSync(process.execPath, ['--maglev', ...process.execArgv, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

/**
 * Bundles `entry` (relative to the project) into out/<outName>/run.mjs and runs its `main` in a process of its own
 * (bench-main.mjs, same flags and environment); returns its exit code. Not in this process: the bundler would stay
 * in the measured heap, and its megabytes make every garbage collection there longer than the app's.
 */
export async function bundleAndRun(entry, outName) {
  const outDir = resolve(root, 'out', outName);
  await build({
    root,
    configFile: false,
    logLevel: 'error',
    build: {
      ssr: resolve(root, entry),
      outDir,
      emptyOutDir: true,
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'run.mjs' } },
    },
  });
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      resolve(root, 'scripts', 'bench-main.mjs'),
      resolve(outDir, 'run.mjs'),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  return run.status ?? 1;
}
