import { join } from 'node:path';
import { addBrokenTool, addProbeTools } from '../../auth/probe-tools.js';
import { apiKey } from '../../auth/tokens.js';
import { bootServer, type PreparedProject, prepareProject, type RunningServer } from '../harness.js';
import { type FakeRegistry, fakeRegistry } from '../registry.js';
import { NODE24, type Transport } from './clients.js';
import { LIMITS } from './steps.js';

/**
 * The one project the matrix drives: both transports, API keys, in-memory limits, with the auth battery's
 * probe tools (`whoami_v1`, `report_v1` needing `reports:read`) and `broken_v1`, a tool that throws, added as a
 * user adds tools. Over HTTP each client has its own key, so its limits are its own; over stdio each client
 * starts its own server process.
 */
export interface MatrixServer {
  project: PreparedProject;
  http: RunningServer;
  registry: FakeRegistry;
  /** The transport a client uses over HTTP with its own key (or `key` given, e.g. a wrong one). */
  httpFor(client: string, key?: string): Transport;
  stdio(): Transport;
  stop(): Promise<void>;
}

export async function startMatrixServer(clients: readonly string[]): Promise<MatrixServer> {
  const project = await prepareProject({
    transport: 'both',
    auth: 'api-key',
    rateLimit: 'memory',
    docker: false,
  });
  await addProbeTools(project.dir);
  await addBrokenTool(project.dir);
  await project.run('npm', ['run', 'build'], { node: 24 });
  const registry = await fakeRegistry();
  const keys = new Map(clients.map((client, i) => [client, apiKey(`client-${i}`)]));
  const env = { ...LIMITS, NPM_REGISTRY_URL: registry.url, LOG_LEVEL: 'warn' };
  const http = await bootServer(
    project.dir,
    { ...env, API_KEYS: [...keys.values()].map((k) => k.entry).join(',') },
    { node: 24 },
  );
  const url = new URL('/mcp', http.url).href;
  return {
    project,
    http,
    registry,
    httpFor: (client, key) => ({
      type: 'http',
      url,
      headers: { authorization: `Bearer ${key ?? keys.get(client)?.key}` },
    }),
    stdio: () => ({
      type: 'stdio',
      command: NODE24,
      args: [join(project.dir, 'dist/main.js'), '--stdio'],
      env,
    }),
    async stop() {
      await http.stop();
      registry.close();
      await project.remove();
    },
  };
}
