// The argument handling of scripts/web.mjs, apart so a test can run it.

/**
 * Splits `npm run web` / `npm run simulator` arguments into the entry to run (`--entry NAME`, default
 * `web`), whether to skip the build (`--no-build`), and the rest, passed to the entry in order.
 * @param {readonly string[]} args
 * @returns {{ entry: string, skipBuild: boolean, passThrough: string[] }}
 */
export function parseWebArgs(args) {
  const entryIndex = args.indexOf('--entry');
  const entry = entryIndex >= 0 ? args[entryIndex + 1] : 'web';
  if (entry === undefined || entry.startsWith('--'))
    throw new Error('--entry needs a name (web or simulator)');
  const ours = (i) =>
    args[i] === '--no-build' || (entryIndex >= 0 && (i === entryIndex || i === entryIndex + 1));
  return {
    entry,
    skipBuild: args.includes('--no-build'),
    passThrough: args.filter((_, i) => !ours(i)),
  };
}
