/**
 * `require('electron')` throws in plain Node, and electron-store imports it. Walks the real import
 * graph (relative imports, runtime only: `import type` is erased) from browser mode's entry and
 * from the plain-Node adapters, and proves none of them can reach electron or electron-store; the
 * Electron settings adapter is reachable only from the desktop composition root.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const src = join(root, 'src');

/** Runtime module specifiers of a TS file (static and dynamic imports, no type-only imports). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    if (m[2] || /^\s*(import|export)\s+type\s/.test(m[0])) continue;
    // `import { type A, type B } from` is erased entirely too.
    const names = m[3]?.match(/\{([^}]*)\}/)?.[1];
    if (
      names &&
      m[3] &&
      !/^\s*\w+\s*,/.test(m[3]) &&
      names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))
    )
      continue;
    out.push(m[4] ?? '');
  }
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] ?? '');
  return out;
}

function resolveLocal(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

/** Every file and package reachable from `entry`, with the chain that reached each. */
function reach(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift() as string;
    const chain = seen.get(file) ?? [];
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) {
        const target = resolveLocal(file, spec);
        if (target && !seen.has(target)) {
          seen.set(target, [...chain, target]);
          queue.push(target);
        }
      } else if (!seen.has(`pkg:${spec}`)) {
        seen.set(`pkg:${spec}`, [...chain, spec]);
      }
    }
  }
  return seen;
}

const show = (chain: string[] | undefined): string => (chain ?? []).map((f) => relative(root, f)).join(' → ');

describe('code that runs in plain Node never loads Electron', () => {
  const entries = [
    'src/main/web/cli.ts',
    'src/main/adapters/settings/conf-store.ts',
    'src/main/adapters/secrets/session-secrets.ts',
    'src/main/adapters/secrets/safe-storage.ts',
    'src/main/adapters/hotkey/uiohook.ts',
    'src/main/adapters/hotkey/portal.ts',
    'src/main/adapters/tray/status-notifier.ts',
  ].filter((f) => existsSync(join(root, f)));

  it.each(entries)('%s reaches neither electron nor electron-store', (entry) => {
    const graph = reach(join(root, entry));
    expect(graph.size).toBeGreaterThan(1); // the walker followed the entry's imports
    for (const pkg of ['pkg:electron', 'pkg:electron-store']) {
      expect(graph.has(pkg), `${pkg.slice(4)} reached via ${show(graph.get(pkg))}`).toBe(false);
    }
  });

  it('only the desktop composition root imports the electron-store adapter', () => {
    const importers: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, name.name);
        if (name.isDirectory()) walk(path);
        else if (
          /\.tsx?$/.test(name.name) &&
          runtimeImports(path).some((s) => s.endsWith('adapters/settings/electron-store'))
        )
          importers.push(relative(root, path));
      }
    };
    walk(src);
    expect(importers).toEqual(['src/main/index.ts']);
  });

  it('follows browser mode deep into the core', () => {
    const graph = reach(join(root, 'src/main/web/cli.ts'));
    expect(graph.has(join(root, 'src/main/app.ts'))).toBe(true);
    expect(graph.has(join(root, 'src/main/adapters/settings/conf-store.ts'))).toBe(true);
  });

  it('sees type-only imports as erased and value imports as real (the walker itself)', () => {
    const graph = reach(join(root, 'src/main/electron/window.ts'));
    expect(graph.has('pkg:electron')).toBe(false); // window.ts imports electron types only
    expect(reach(join(root, 'src/main/electron/tray.ts')).has('pkg:electron')).toBe(true);
  });
});
