// resources/read throughput and latency of the generated server (--auth none --rate-limit none, LOG_LEVEL=info:
// the read runs the whole operation pipeline and pays its log line) against a bare SDK v2 server serving the
// same bytes, in the same run. Same method as server.bench.mjs: interleaved rounds, medians, and the CPU time
// per read (least of the rounds) as the ratio that other load on the machine disturbs least. About 50 s.

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot, buildProject, load, mcpRequest, printRatios, ROOT } from './server/harness.mjs';

const ROUNDS = 4;
const SECONDS = 4;
const CONNECTIONS = 50;
const URI = 'catalogue://tools';

const request = mcpRequest('resources/read', URI, { uri: URI });
const read = async ({ port }) => {
  const answer = await fetch(`http://127.0.0.1:${port}/mcp`, request).then((r) => r.json());
  const text = answer.result?.contents?.[0]?.text;
  if (typeof text !== 'string') throw new Error(`no resource text: ${JSON.stringify(answer)}`);
  return text;
};

const dir = buildProject('resources', [
  '--transport',
  'http',
  '--auth',
  'none',
  '--rate-limit',
  'none',
  '--no-docker',
]);
copyFileSync(join(ROOT, 'bench/server/bare-resource-server.mjs'), join(dir, 'bare-resource-server.mjs'));
const generated = await boot(dir, 'dist/main.js', { LOG_LEVEL: 'info' });
const resourceFile = join(dir, 'resource.json');
writeFileSync(resourceFile, await read(generated));
const variants = {
  bare: await boot(dir, 'bare-resource-server.mjs', { RESOURCE_FILE: resourceFile }),
  generated,
};
// Both must send the same bytes before their speed means anything.
if ((await read(variants.bare)) !== (await read(generated))) throw new Error('the two servers differ');

const samples = { bare: [], generated: [] };
for (const server of Object.values(variants))
  await load(server, request, { connections: CONNECTIONS, seconds: 2 });
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, server] of Object.entries(variants)) {
    samples[name].push(await load(server, request, { connections: CONNECTIONS, seconds: SECONDS }));
  }
}

console.log(
  `resources/read ${URI} (2026-07-28), ${CONNECTIONS} connections, server pinned to one core, ${ROUNDS} x ${SECONDS} s`,
);
printRatios(samples, 'read');
process.exit(0);
