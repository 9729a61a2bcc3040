import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startApp } from '../../src/app.js';
import type { AppEventBus } from '../../src/core/events.js';
import type { FeatureModule } from '../../src/core/feature.js';
import type { PromptDefinition } from '../../src/core/prompt.js';
import type { AnyResource } from '../../src/core/resource.js';
import type { ToolDefinition } from '../../src/core/tool.js';
import { features } from '../../src/features.generated.js';
import { prompts } from '../../src/prompts/index.js';
import { resources } from '../../src/resources/index.js';
import { tools } from '../../src/tools/index.js';
import { transportsOnly } from '../fixtures/features.js';
import { featureTestEnv } from './feature-env.js';
import { captureLogs, type LogLine } from './logs.js';

export interface TestServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp; `new URL('/readyz', url)` for the others. */
  url: URL;
  /** Graceful shutdown, exactly as on SIGTERM. */
  stop(): Promise<void>;
  events: AppEventBus;
  /** Every log line the server wrote, parsed. */
  logs: LogLine[];
}

export interface TestServerOptions {
  /** Test-only tools, registered after the project's own. */
  tools?: readonly ToolDefinition[];
  /** Test-only resources and prompts, published after the project's own. */
  resources?: readonly AnyResource[];
  prompts?: readonly PromptDefinition[];
  /** Only the transport features (no auth, limits, tracing): for tests of the core itself. */
  coreOnly?: boolean;
  /** Test-only feature modules, set up after the project's own (e.g. a failing readiness check). */
  features?: readonly FeatureModule[];
}

/**
 * The real server in-process (config, features from features.generated.ts, HTTP on 127.0.0.1, port 0).
 * Only `env` (over what the features need in any test, see feature-env.ts) configures it: the test's own
 * environment is not read, so tests do not depend on the machine.
 */
export async function startHttpServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const logs = captureLogs();
  const app = await startApp({
    env: {
      MCP_TRANSPORT: 'http',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'debug',
      ...featureTestEnv(),
      ...env,
    },
    features: [...(options.coreOnly ? transportsOnly : features), ...(options.features ?? [])],
    catalog: {
      tools: [...tools, ...(options.tools ?? [])],
      resources: [...resources, ...(options.resources ?? [])],
      prompts: [...prompts, ...(options.prompts ?? [])],
    },
    logDestination: logs.stream,
  });
  if (app.url === undefined) throw new Error('the http transport did not report its URL');
  return { url: app.url, stop: () => app.shutdown('test finished'), events: app.events, logs: logs.lines };
}

/**
 * The official SDK client, connected over Streamable HTTP. `modern` pins the 2026-07-28 revision (stateless,
 * `server/discover`); `legacy` is the 2025 `initialize` handshake older clients use. `headers` go on every request.
 */
export async function connectClient(
  url: URL,
  headers: Record<string, string> = {},
  options: { era?: 'legacy' | 'modern' } = {},
): Promise<Client> {
  const mode = options.era === 'legacy' ? 'legacy' : { pin: '2026-07-28' };
  // It can answer a form (elicitation), as chat clients do: the destructive fixture asks before acting.
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    { versionNegotiation: { mode }, capabilities: { elicitation: { form: {} } } },
  );
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}
