/** Quotes a shell word only when it needs it, so printed commands can be pasted back. */
export const shellQuote = (word: string): string =>
  /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
