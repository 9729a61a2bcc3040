/**
 * Line and line-ending helpers shared by the merges. Lines keep their terminator, so joining them gives the
 * text back byte for byte (node-diff3 would otherwise split on whitespace and merge words, not lines).
 */

/** `a\nb` → [`a\n`, `b`]; `''` → []. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Whether the text uses Windows line endings (a checkout with core.autocrlf, an editor setting). */
export const usesCrlf = (text: string): boolean => text.includes('\r\n');

export const toLf = (text: string): string => text.replaceAll('\r\n', '\n');

export const toCrlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/** Gives `text` (LF) the line endings of `like`, so we never flip a user's file between LF and CRLF. */
export const withEolOf = (like: string, text: string): string => (usesCrlf(like) ? toCrlf(text) : text);
