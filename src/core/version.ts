import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellQuote } from './shell.js';

/** This generator's name and version, read from its own package.json (two levels up from src|dist/core). */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

export const GENERATOR = { name: pkg.name, version: pkg.version } as const;

/** This generator's own folder (the checkout, or the installed package). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The command that runs this very generator, which a generated project records as its `prod-mcp` script so
 * that the README's and every hint's `npm run prod-mcp -- add redis` works. Installed from the registry (we
 * live inside a node_modules folder: npx's cache, a global or a project install) that is
 * `npx create-prod-mcp@<version>`; from a checkout, which is the only way to run it before it is published
 * (`npx create-prod-mcp` answers 404 until then), it is `node <checkout>/dist/cli/index.js`.
 */
export function generatorCommand(root: string = ROOT): string {
  if (root.split(sep).includes('node_modules')) return `npx ${GENERATOR.name}@${GENERATOR.version}`;
  return `node ${shellQuote(join(root, 'dist', 'cli', 'index.js'))}`;
}

/** What tests and golden files render with: the published form, the same on every machine. */
export const PUBLISHED_GENERATOR_COMMAND = `npx ${GENERATOR.name}@${GENERATOR.version}`;
