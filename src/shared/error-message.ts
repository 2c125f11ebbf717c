/**
 * The words of a caught value: an Error's message, anything else as a string. Catch clauses see
 * `unknown` (a library may throw a string or a plain object), and every layer reports failures in words.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
