// The built server (dist/, as production runs it) over stdio, composed of its transport and the tracing feature
// only, for stdio.test.ts: the other features need their own setup (keys, Redis) and are tested in their own
// files. Started with the preload: node --import ./dist/features/otel/register.js test/features/otel/stdio-server.mjs
import { startApp } from '../../../dist/app.js';
import { features } from '../../../dist/features.generated.js';
import { prompts } from '../../../dist/prompts/index.js';
import { resources } from '../../../dist/resources/index.js';
import { tools } from '../../../dist/tools/index.js';

const app = await startApp({
  env: process.env,
  argv: ['--stdio'],
  features: features.filter((feature) => feature.id === 'stdio' || feature.id === 'otel'),
  catalog: { tools, resources, prompts },
});
// The client closing stdin starts the shutdown; once the spans are flushed, the process is done.
await app.stopped;
process.exit(0);
