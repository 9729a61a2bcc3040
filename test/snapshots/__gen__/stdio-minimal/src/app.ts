import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DestinationStream, Logger } from 'pino';
import { type BaseConfig, ConfigError, loadConfig } from './config.js';
import { AppEventBus } from './core/events.js';
import type { App, FeatureModule, FeatureRuntime, ServerParts } from './core/feature.js';
import { Health } from './core/health.js';
import { ListChanges } from './core/list-changes.js';
import { createLogger } from './core/logger.js';
import { Pipeline } from './core/pipeline.js';
import { RequestStateSealer } from './core/request-state.js';
import { MemoryTaskStore } from './core/task-store.js';
import { checkToolTimeouts } from './core/tool-operation.js';
import { type Catalog, createServerFactory, type ExtraServerOptions, type ServerIdentity } from './server.js';

export interface StartOptions {
  env: Readonly<Record<string, string | undefined>>;
  features: readonly FeatureModule[];
  /** The tools, resources and prompts the server publishes. */
  catalog: Catalog;
  /** SDK server options beyond what the catalog implies. */
  serverOptions?: ExtraServerOptions;
  /** Command-line arguments: `--stdio` selects the stdio transport, whatever MCP_TRANSPORT says. */
  argv?: readonly string[];
  /** Where log lines go instead of stdout/stderr (tests read them back). */
  logDestination?: DestinationStream;
}

export interface RunningApp {
  config: BaseConfig;
  logger: Logger;
  events: AppEventBus;
  transport: 'http' | 'stdio';
  /** The MCP endpoint, when the transport has one. */
  url?: URL;
  /** Graceful shutdown: readiness fails, in-flight calls drain, features close. Safe to call twice. */
  shutdown(reason: string): Promise<void>;
  /** Settles when a shutdown finished, whoever started it (a signal, or stdin closing under stdio). */
  stopped: Promise<void>;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  description?: string;
  homepage?: string;
  /** What clients show and tell their model about this server: `title`, `instructions`, `icons`. */
  mcp?: Pick<ServerIdentity, 'title' | 'instructions' | 'icons'>;
};

const identity: ServerIdentity = {
  name: pkg.name,
  version: pkg.version,
  ...(pkg.description && { description: pkg.description }),
  ...(pkg.homepage && { websiteUrl: pkg.homepage }),
  ...pkg.mcp,
};

const TRANSPORTS = ['http', 'stdio'] as const;

/**
 * `--stdio` wins, then MCP_TRANSPORT, then HTTP when this build has it (a container's default). Decided from
 * the raw environment, before validation, because it decides which features' variables need validating;
 * a malformed MCP_TRANSPORT is then reported by the config check with everything else.
 */
function chooseTransport(
  env: StartOptions['env'],
  argv: readonly string[],
  features: readonly FeatureModule[],
) {
  const available = TRANSPORTS.filter((name) => features.some((feature) => feature.id === name));
  const requested = argv.includes('--stdio') ? 'stdio' : env.MCP_TRANSPORT;
  const wanted = TRANSPORTS.find((name) => name === requested) ?? available[0];
  if (wanted === undefined || !available.includes(wanted)) {
    throw new ConfigError([
      `MCP_TRANSPORT: this server was generated with ${available.join(' and ') || 'no'} transport, so "${wanted}" cannot be served`,
    ]);
  }
  return wanted;
}

/**
 * The key multi-round requestState is sealed with. Every replica must share it, or a round answered by another
 * replica is refused; a per-process key is fine for stdio (one process serves every round) and for one replica.
 */
function stateSealer(config: BaseConfig, transport: 'http' | 'stdio', logger: Logger): RequestStateSealer {
  const secret = config.MCP_STATE_SECRET;
  if (secret === undefined) {
    if (transport === 'http')
      logger.warn(
        'MCP_STATE_SECRET is not set: multi-round calls (input-required) work only while one process serves every round. Set it, the same on every replica.',
      );
    return RequestStateSealer.ephemeral();
  }
  const previous = config.MCP_STATE_SECRET_PREVIOUS;
  return new RequestStateSealer(previous === undefined ? { secret } : { secret, previous });
}

/**
 * The composition root: validate every variable at once, build shared services, set features up in the
 * order of features.generated.ts, and start the chosen transport with the parts they contributed.
 */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const transportName = chooseTransport(options.env, options.argv ?? [], options.features);
  const features = options.features.filter((f) => f.transports?.includes(transportName) ?? true);
  const loaded = loadConfig(options.env, features);
  const config = loaded.base;
  const logger = createLogger({
    name: pkg.name,
    level: config.LOG_LEVEL,
    destination: options.logDestination ?? (transportName === 'stdio' ? 'stderr' : 'stdout'),
  });
  const events = new AppEventBus();
  const { catalog } = options;
  checkToolTimeouts(config, catalog.tools);
  const app: App = {
    config,
    logger,
    events,
    tools: catalog.tools,
    resources: catalog.resources ?? [],
    prompts: catalog.prompts ?? [],
    transport: transportName,
  };

  const runtimes: FeatureRuntime[] = [];
  const closeFeatures = async () => {
    for (const runtime of runtimes.toReversed()) {
      await runtime.close?.().catch((err: unknown) => logger.error({ err }, 'a feature failed to close'));
    }
  };
  try {
    for (const feature of features) {
      runtimes.push(await feature.setup(loaded.features.get(feature.id) ?? {}, app));
    }
  } catch (error) {
    await closeFeatures();
    throw error;
  }
  const authenticators = runtimes.flatMap((r) => (r.authenticator ? [r.authenticator] : []));
  if (authenticators.length > 1)
    throw new Error('More than one feature provides an authenticator; keep one auth feature');
  const transport = runtimes.find((r) => r.transport?.name === transportName)?.transport;
  if (transport === undefined) throw new Error(`No feature provides the ${transportName} transport`);

  const pipeline = new Pipeline({
    config,
    logger,
    events,
    middleware: runtimes.flatMap((r) => r.middleware ?? []),
    states: stateSealer(config, transportName, logger),
  });
  const readiness = runtimes.flatMap((r) => r.readiness ?? []);
  const listChanges = new ListChanges(catalog);
  const health = new Health(readiness, events);

  let resolveStopped = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let stopping: Promise<void> | undefined;
  let stopTransport = async () => {};
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down: readiness now fails; in-flight calls drain');
      health.startDraining();
      // Give load balancers time to see /readyz fail before we stop taking requests.
      if (config.SHUTDOWN_DELAY_MS > 0) await sleep(config.SHUTDOWN_DELAY_MS);
      listChanges.close();
      await stopTransport();
      await closeFeatures();
      logger.info('stopped');
      resolveStopped();
    })();
    return stopping;
  };

  // Tasks live where every replica sees them when a feature offers that (Redis); else in this process.
  const taskStore = runtimes.find((r) => r.taskStore)?.taskStore ?? new MemoryTaskStore();
  const createMcpServer = createServerFactory(catalog, pipeline, identity, options.serverOptions, taskStore);
  const parts: ServerParts = {
    createMcpServer,
    authenticator: authenticators[0],
    beforeAuth: runtimes.flatMap((r) => r.beforeAuth ?? []),
    afterAuth: runtimes.flatMap((r) => r.afterAuth ?? []),
    batchGuards: runtimes.flatMap((r) => r.batchGuards ?? []),
    routes: runtimes.flatMap((r) => r.routes ?? []),
    readiness,
    health,
    drain: async () => {
      const aborted = await pipeline.drain(config.DRAIN_TIMEOUT_MS);
      if (aborted > 0)
        logger.warn({ aborted }, `aborted ${aborted} call(s) still running after DRAIN_TIMEOUT_MS`);
      // A task cut short is stored failed, retryable, before the features (its store) close.
      await createMcpServer.settleTasks();
    },
    requestShutdown: (reason) => void shutdown(reason),
    listChanges,
  };
  const started = await transport.start(parts).catch(async (error: unknown) => {
    await closeFeatures();
    throw error;
  });
  stopTransport = () => started.stop();
  logger.info(
    {
      transport: transportName,
      url: started.url?.href,
      tools: catalog.tools.length,
      resources: app.resources.length,
      prompts: app.prompts.length,
      version: pkg.version,
    },
    'ready',
  );
  return { config, logger, events, transport: transportName, url: started.url, shutdown, stopped };
}
