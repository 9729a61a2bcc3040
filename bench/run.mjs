// `npm run bench`: runs every bench/*.bench.mjs, one after another (benchmarks share 2 cores; running them
// in parallel would measure each other). Each file prints its own report; a failing one fails the run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${file} exited with ${result.status ?? result.signal}`);
    failed++;
  }
}
console.log(`\n${files.length - failed}/${files.length} benchmarks ran`);
process.exitCode = failed > 0 ? 1 : 0;
