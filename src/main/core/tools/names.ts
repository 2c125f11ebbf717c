/**
 * Function names the model accepts (^[a-zA-Z0-9_-]{1,64}$) made from names people and servers choose freely.
 */

const MAX = 64;
/** Server prefixes are cut shorter, so a long server name leaves room for its tools' names. */
const MAX_PREFIX = 24;

/** `name` with every character the model refuses replaced by `_`, cut to `max` (never empty). */
export function sanitizeName(name: string, max: number = MAX): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, max);
  return clean === '' ? '_' : clean;
}

/** `base`, or `base_2`, `base_3`… (cut to fit 64) — the first one not in `taken`, which it is added to. */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base.slice(0, MAX);
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, MAX - `_${n}`.length)}_${n}`;
  taken.add(name);
  return name;
}

/** The sanitised prefix for an MCP server, unique among `taken`. */
export function serverPrefix(server: string, taken: Set<string>): string {
  return uniqueName(sanitizeName(server, MAX_PREFIX), taken);
}

/**
 * `<prefix>__<tool>`, unique among `taken`. The `__` always stays, so an MCP tool can never take a built-in's
 * name (built-ins have none).
 */
export function mcpFunctionName(prefix: string, tool: string, taken: Set<string>): string {
  const room = MAX - prefix.length - 2;
  const base = `${prefix}__${sanitizeName(tool, room)}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${prefix}__${sanitizeName(tool, room - `_${n}`.length)}_${n}`;
  taken.add(name);
  return name;
}
