/**
 * Text from a lock file, a merge base or a project's file names, made safe to print: control characters
 * (terminal escapes, a newline that would forge a line of the plan) and bidirectional overrides (which reorder
 * what the reader sees) are written as `\x1b` / `\u202e`. A hostile or corrupted lock must not be able to make
 * `update` print "DELETE nothing" over what it really does.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
