/** "1 file", "2 files": every count the generator prints goes through here, so none reads "(1 entries)". */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;
