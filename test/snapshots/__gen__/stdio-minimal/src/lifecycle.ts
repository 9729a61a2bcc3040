import { type RunningApp, startApp } from './app.js';
import { ConfigError, StartupError } from './config.js';
import type { FeatureModule } from './core/feature.js';
import { flushLogs, flushLogsSync } from './core/logger.js';
import { features } from './features.generated.js';
import type { Catalog, ExtraServerOptions } from './server.js';

/** Extra time, beyond the configured delay and drain, before a hung shutdown is cut short. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * The process around the app: a bad configuration (or a port already taken) exits 1 with one line per problem; SIGTERM/SIGINT start a
 * graceful shutdown that exits 0; a second signal, or a shutdown that hangs, exits 1 at once; a crash is
 * logged and exits 1 so the supervisor (Docker, systemd, Kubernetes) restarts a clean process.
 */
export async function serve(
  catalog: Catalog,
  modules: readonly FeatureModule[] = features,
  serverOptions: ExtraServerOptions = {},
): Promise<RunningApp> {
  let app: RunningApp;
  try {
    app = await startApp({
      env: process.env,
      argv: process.argv.slice(2),
      features: modules,
      catalog,
      serverOptions,
    });
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof StartupError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const { logger, config } = app;
  // Log lines are written asynchronously: every exit first writes out what is still held, so none is lost.
  const exitNow = (code: number): never => {
    flushLogsSync(logger);
    process.exit(code);
  };

  process.on('uncaughtException', (err, origin) => {
    logger.fatal({ err, origin }, 'crashed; exiting so the supervisor restarts a clean process');
    exitNow(1);
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exitNow(1);
    }
    const limit = config.SHUTDOWN_DELAY_MS + config.DRAIN_TIMEOUT_MS + SHUTDOWN_GRACE_MS;
    setTimeout(() => {
      logger.error({ limitMs: limit }, 'shutdown did not finish in time: exiting');
      exitNow(1);
    }, limit).unref();
    void app.shutdown(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Whoever started the shutdown (a signal, or stdin closing under stdio), the process ends when it is done.
  void app.stopped.then(() => flushLogs(logger)).then(() => process.exit(0));
  return app;
}
