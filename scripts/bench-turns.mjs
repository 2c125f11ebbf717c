#!/usr/bin/env node
// Turn-path benchmark entry (`npm run bench:turns [-- --quick]`): what one microphone frame costs the core with
// 10, 1 000 and 10 000 turns in the conversation. Bundled with Vite like bench-audio.mjs, so it measures code in
// the form users run, with --maglev on Node 20 for Electron's V8 tiers (see bench-audio.mjs).
import { spawnSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

if (Number(process.versions.node.split('.')[0]) < 22 && !process.execArgv.includes('--maglev')) {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--maglev', ...process.execArgv, self, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, 'out/bench-turns');
await build({
  root,
  configFile: false,
  logLevel: 'error',
  build: {
    ssr: resolve(root, 'bench/turns/run.ts'),
    outDir,
    emptyOutDir: true,
    minify: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'run.mjs' } },
  },
});
const module = await import(pathToFileURL(resolve(outDir, 'run.mjs')).href);
process.exit(await module.main(process.argv.slice(2)));
