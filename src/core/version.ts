import { readFileSync } from 'node:fs';

/** This generator's name and version, read from its own package.json (two levels up from src|dist/core). */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

export const GENERATOR = { name: pkg.name, version: pkg.version } as const;
