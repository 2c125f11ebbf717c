import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { McpManager } from '../../../../src/main/core/tools/mcp/manager';

const require = createRequire(import.meta.url);

/** The entry script of an MCP server package in node_modules (its `bin`), to run with this Node. */
export function serverBin(pkg: string): string {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | Record<string, string> };
  return join(dirname(manifest), typeof bin === 'string' ? bin : Object.values(bin)[0]!);
}

/** Resolves once `ready()` holds, checked at each change the manager reports; rejects after `ms`. */
export function waitFor(manager: McpManager, ready: () => boolean, ms = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ready()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`Timed out; servers: ${JSON.stringify(manager.servers().map((s) => s.status))}`));
    }, ms);
    const off = manager.onChange(() => {
      if (!ready()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Whether a process exists (a zombie not yet reaped counts). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for a process to be gone. */
export async function gone(pid: number, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (alive(pid) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
}
