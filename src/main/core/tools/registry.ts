import type { ToolCallOptions, ToolHandler, ToolProvider, ToolRegistry, ToolResult, ToolSpec } from './types';

/** Options for {@link createToolRegistry}. */
export interface ToolRegistryOptions {
  /** Where tools come from, in the order they are listed (built-ins first, then MCP servers). */
  providers: ToolProvider[];
  /** A call that has not finished by then is abandoned with an error; default 30 000 ms. */
  timeoutMs?: number;
  /** Outputs (and errors) longer than this many UTF-8 bytes are cut, with a note; default 16 KiB. */
  maxOutputBytes?: number;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024;

/**
 * One registry over several providers. Every way a call can go wrong ends as an error result in plain words,
 * because the model has to explain it to the user and the turn must go on: nothing here throws or waits
 * forever, even for a tool that ignores its abort signal.
 */
export function createToolRegistry(options: ToolRegistryOptions): ToolRegistry {
  const { providers } = options;
  const defaultTimeoutMs = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const listeners = new Set<() => void>();
  let disposed = false;

  // Duplicate names cannot be offered to the model; the first provider keeps the name.
  const handlers = (): Map<string, ToolHandler> => {
    const byName = new Map<string, ToolHandler>();
    if (disposed) return byName;
    for (const provider of providers)
      for (const handler of provider.tools())
        if (!byName.has(handler.spec.name)) byName.set(handler.spec.name, handler);
    return byName;
  };
  const list = (): ToolSpec[] => [...handlers().values()].map((h) => h.spec);

  // Providers report changes loosely (a status flip, a refresh that found the same tools); listeners hear only
  // about real changes to what is offered, since each one may cost a session.update.
  let lastSeen = JSON.stringify(list());
  const changed = (): void => {
    const now = JSON.stringify(list());
    if (now === lastSeen) return;
    lastSeen = now;
    for (const listener of [...listeners]) listener();
  };
  const unsubscribes = providers.map((p) => p.onChange(changed));

  async function call(
    name: string,
    argsJson: string,
    callOptions: ToolCallOptions = {},
  ): Promise<ToolResult> {
    const handler = handlers().get(name);
    if (!handler) {
      const why = disposed ? undefined : providers.map((p) => p.whyUnavailable?.(name)).find(Boolean);
      return { ok: false, error: why ?? `There is no tool named "${name}".` };
    }
    const args = parseArguments(name, argsJson);
    if (!('args' in args)) return args;
    if (callOptions.signal?.aborted) return cancelled(name);

    const timeoutMs = callOptions.timeoutMs ?? defaultTimeoutMs;
    const controller = new AbortController();
    let settle: (result: ToolResult) => void = () => {};
    const stopped = new Promise<ToolResult>((resolve) => (settle = resolve));
    const onAbort = (): void => {
      controller.abort(callOptions.signal?.reason);
      settle(cancelled(name));
    };
    callOptions.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
      settle({
        ok: false,
        error: `"${name}" did not finish within ${seconds(timeoutMs)}, so it was stopped.`,
      });
    }, timeoutMs);

    try {
      const run = Promise.resolve()
        .then(() => handler.run(args.args, controller.signal))
        .catch((error: unknown): ToolResult => ({
          ok: false,
          error: `"${name}" failed: ${messageOf(error)}`,
        }));
      // Whichever comes first: the tool, the timeout or the abort. A tool that ignores the signal is left behind.
      return capResult(name, await Promise.race([run, stopped]), maxOutputBytes);
    } finally {
      clearTimeout(timer);
      callOptions.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    list,
    call,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const unsubscribe of unsubscribes) unsubscribe();
      await Promise.all(providers.map((p) => p.dispose?.()));
      const hadTools = lastSeen !== '[]';
      lastSeen = '[]';
      if (hadTools) for (const listener of [...listeners]) listener();
      listeners.clear();
    },
  };
}

type Parsed = { args: Record<string, unknown> } | { ok: false; error: string };

/** The model's argument text as an object; an empty string means no arguments. */
function parseArguments(name: string, argsJson: string): Parsed {
  if (argsJson.trim() === '') return { args: {} };
  let value: unknown;
  try {
    value = JSON.parse(argsJson);
  } catch (error) {
    return {
      ok: false,
      error: `The arguments for "${name}" were not valid JSON (${messageOf(error)}), so it was not run.`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: `The arguments for "${name}" must be a JSON object, so it was not run.` };
  return { args: value as Record<string, unknown> };
}

function cancelled(name: string): ToolResult {
  return { ok: false, error: `"${name}" was cancelled because the user interrupted.` };
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s === 1 ? '1 second' : `${Number.isInteger(s) ? s : s.toFixed(1)} seconds`;
}

/** An error's message without a stack, whatever was thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A result over the cap becomes an error that says so and keeps the start, so the model can still use it and
 * tell the user it was cut; the whole text, note included, stays within the cap.
 */
export function capResult(name: string, result: ToolResult, maxBytes: number): ToolResult {
  const text = result.ok ? result.output : result.error;
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return result;
  const note =
    `The ${result.ok ? 'output' : 'error'} of "${name}" was too long (${bytes.length} bytes, more than the ` +
    `${maxBytes} allowed), so it was cut. The first part:\n`;
  const room = Math.max(0, maxBytes - encoder.encode(note).length);
  // Cutting inside a multi-byte character leaves a replacement character at the end; drop it.
  const head = decoder.decode(bytes.subarray(0, room)).replace(/\uFFFD$/, '');
  return { ok: false, error: note + head };
}
