import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseYaml } from '../deploy/yaml.js';
import { type BuiltImage, buildImage } from './deploy-image.js';
import { type PreparedProject, prepareProject } from './harness.js';
import { envFor } from './node.js';
import { freePort } from './server.js';

/**
 * No Docker engine here, so the image is built by carrying out the generated Dockerfile's own instructions
 * (deploy-image.ts) and the container is started the way Docker would start it: the CMD's argv exactly, in the
 * runtime WORKDIR, with the Dockerfile's ENV, as the image's unprivileged user, on the image's Node (24).
 * Only PORT is moved to a free port (a container has a network namespace of its own; this machine does not).
 */
const NODE_UID = 1000; // `USER node` in node:24-slim

interface Container {
  process: ChildProcess;
  output(): string;
  /** Runs a command inside the "container": same cwd, env and user (docker exec / the HEALTHCHECK). */
  exec(argv: string[]): Promise<number | null>;
  stop(): Promise<number | null>;
}

function start(image: BuiltImage, env: Record<string, string>): Container {
  expect(image.user).toBe('node');
  const [command = '', ...rest] = image.cmd;
  // envFor(24) supplies PATH with Node 24 first, as the image's PATH does; the rest is the Dockerfile's ENV.
  const environment = { ...envFor(24), HOME: '/tmp', ...image.env, ...env };
  const options = { cwd: image.root, env: environment, uid: NODE_UID, gid: NODE_UID };
  const child = spawn(command, rest, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    process: child,
    output: () => output,
    exec: async ([cmd = '', ...argv]) => {
      const run = spawn(cmd, argv, { ...options, stdio: 'ignore' });
      const [code] = await once(run, 'exit');
      return code as number | null;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** GET with an explicit Host header (fetch cannot set one), the way the kubelet's probes ask. */
function probe(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('HTTP image (both transports, --otel, --k8s)', () => {
  let project: PreparedProject;
  let image: BuiltImage;
  let container: Container | undefined;

  beforeAll(async () => {
    project = await prepareProject({ auth: 'none', rateLimit: 'memory', otel: true, k8s: true });
    image = await buildImage(project.dir);
  });
  afterAll(async () => {
    await container?.stop();
    await image?.remove();
    await project?.remove();
  });

  test('CMD boots the server, HEALTHCHECK reports healthy, probes pass, SIGTERM exits 0', async () => {
    // The built image holds what CMD and HEALTHCHECK run.
    for (const word of [...image.cmd, ...(image.healthcheck ?? [])].filter((w) => w.endsWith('.js'))) {
      await expect(readFile(join(image.root, word)), word).resolves.toBeDefined();
    }
    expect(image.env.HOST).toBe('0.0.0.0');
    expect(image.healthcheck).toEqual(['node', 'dist/healthcheck.js']);

    const port = await freePort();
    // ALLOWED_HOSTS is required beyond loopback, as the Dockerfile and README say; the rest is the image's.
    container = start(image, { PORT: String(port), ALLOWED_HOSTS: 'mcp.example.com' });
    const healthcheck = image.healthcheck ?? [];
    let healthy = false;
    for (let attempt = 0; attempt < 100 && !healthy; attempt++) {
      if (container.process.exitCode !== null) break;
      healthy = (await container.exec(healthcheck)) === 0;
      if (!healthy) await sleep(200);
    }
    expect(healthy, `HEALTHCHECK never passed; server output:\n${container.output()}`).toBe(true);

    // The Kubernetes probes, with the Host header a kubelet sends (the pod IP, which no allowlist names).
    const deployment = parseYaml<{
      spec: { template: { spec: { containers: Record<string, { httpGet: { path: string } }>[] } } };
    }>(await readFile(join(project.dir, 'deploy/k8s/deployment.yaml'), 'utf8'), 'deployment.yaml');
    const [server] = deployment.spec.template.spec.containers;
    for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const path = server?.[kind]?.httpGet.path ?? '';
      expect(await probe(port, path, `10.1.2.3:${port}`), `${kind} ${path}`).toBe(200);
    }
    // Host validation still guards /mcp on the same listener.
    expect(await probe(port, '/mcp', `evil.example:${port}`)).toBeGreaterThanOrEqual(400);

    // docker stop: SIGTERM to node (PID 1 in the container), a clean drain, exit 0 …
    expect(await container.stop(), container.output()).toBe(0);
    // … after which the same HEALTHCHECK fails, so it is not a command that always succeeds.
    expect(await container.exec(healthcheck)).not.toBe(0);
  });
});

describe('stdio image', () => {
  let project: PreparedProject;
  let image: BuiltImage;

  beforeAll(async () => {
    project = await prepareProject({ transport: 'stdio' });
    image = await buildImage(project.dir);
  });
  afterAll(async () => {
    await image?.remove();
    await project?.remove();
  });

  test('`docker run -i`: CMD answers MCP initialize on stdin/stdout; no HEALTHCHECK', async () => {
    expect(image.healthcheck).toBeUndefined();
    expect(image.exposed).toEqual([]);
    const container = start(image, {});
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'e2e', version: '1.0.0' },
      },
    };
    container.process.stdin?.write(`${JSON.stringify(initialize)}\n`);
    let line: string | undefined;
    let stdout = '';
    container.process.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    for (let i = 0; i < 100 && !line; i++) {
      line = stdout.split('\n').find((l) => l.includes('"id":1'));
      if (!line) await sleep(100);
    }
    expect(line, container.output()).toBeDefined();
    const response = JSON.parse(line ?? '{}') as { result?: { serverInfo?: { name?: string } } };
    expect(response.result?.serverInfo?.name).toBe(project.answers.name);
    // The client closing the pipe ends the server, cleanly.
    container.process.stdin?.end();
    expect(await container.stop()).toBe(0);
  });
});
