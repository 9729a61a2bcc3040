// Build step after tsc: bundles the CLI (dist/cli/index.js and every module of ours it loads) into one entry
// file plus one chunk per lazily loaded command, in place. Loading ~50 separate ES modules was a third of a
// create's start-up (issue 15). dist/core/ etc. stay as tsc wrote them, for tests and benches. Dependencies
// stay external, loaded from node_modules as before: some resolve their own files at run time (jsonc-parser).
import { readdirSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli');
// Chunks of an earlier build (their names carry a content hash).
for (const file of readdirSync(cli)) if (file.startsWith('chunk-')) rmSync(join(cli, file));

await build({
  input: join(cli, 'index.js'),
  platform: 'node',
  logLevel: 'warn',
  external: (id) => !id.startsWith('.') && !isAbsolute(id),
  output: {
    dir: cli,
    format: 'esm',
    sourcemap: true,
    entryFileNames: 'index.js',
    // Beside index.js, so every `new URL('../../…', import.meta.url)` still reaches the package root.
    chunkFileNames: 'chunk-[name]-[hash].js',
  },
});
