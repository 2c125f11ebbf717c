/**
 * What the user types in the search box, as FTS5 terms that cannot be malformed. FTS5 has its own syntax (quotes,
 * AND/OR/NOT, NEAR, column filters, `*`), and a stray quote or a bare `AND` is a syntax error there; people type
 * words, so every word is matched as itself and a search never fails.
 */

/** Letters or digits: a chunk without any (like "-" or "?!") has nothing FTS5 would index. */
const WORDLIKE = /[\p{L}\p{N}]/u;

/** More words than this add nothing to finding a conversation and only cost time. */
export const MAX_TERMS = 8;

/** The whitespace-separated chunks of a query that have something to search for, at most MAX_TERMS. */
export function queryChunks(input: string): string[] {
  return input
    .split(/\s+/)
    .filter((chunk) => WORDLIKE.test(chunk))
    .slice(0, MAX_TERMS);
}

/**
 * Each whitespace-separated chunk as a quoted FTS5 phrase (quotes doubled); the last one also matches as a prefix,
 * so results appear while a word is still being typed. Empty when nothing searchable is left.
 */
export function toFtsTerms(input: string): string[] {
  const chunks = queryChunks(input);
  return chunks.map((chunk, i) => `"${chunk.replaceAll('"', '""')}"${i === chunks.length - 1 ? '*' : ''}`);
}
