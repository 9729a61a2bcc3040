/**
 * Preload: `node --import ./dist/features/otel/register.js dist/main.js`.
 *
 * Instrumentations work by patching modules as they load, so they must be registered before the server imports
 * `node:http` or `redis`. ES modules are linked before any of their code runs, which is why this cannot simply
 * be the first import of main.ts. The import-in-the-middle hook lets the patches reach ES module imports too
 * (without it, `import { createServer } from 'node:http'` escapes them); it only wraps the modules an
 * instrumentation asked for.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

if (process.env.OTEL_SDK_DISABLED !== 'true') {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const { startTracing } = await import('./tracing.js');
  // Read straight from the environment: this runs before the server validates its configuration.
  startTracing({
    endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    tracesEndpoint: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined,
  });
  await waitForAllMessagesAcknowledged();
}
