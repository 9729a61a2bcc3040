import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnswerInput } from '../../../src/core/validate.js';
import { apiKey } from '../../auth/tokens.js';
import { type PreparedProject, prepareProject } from '../harness.js';
import { startOtlpCollector } from '../otlp.js';
import { freePort } from '../server.js';
import { composeImage, expectComposeUp } from './compose-up.js';
import { expectCleanStop, expectServing, HARDENED, report } from './http-image.js';
import { expectKubePlay } from './kube-play.js';
import { expectOtelPreload } from './otel-image.js';
import {
  buildImage,
  type Container,
  ensureContainers,
  type Image,
  imageFor,
  podman,
  podmanEnv,
  runContainer,
  waitFor,
} from './podman.js';
import { expectSystemdUnit } from './systemd-unit.js';

/**
 * Issue 16: the deployment files run for real. Each generated Dockerfile built by a real engine (podman, on a
 * locally assembled stand-in for node:24-slim; see containers.mjs) and its image run the way the README says:
 * read-only, unprivileged, published on loopback only, stopped with `docker stop -t 30`. The default image also
 * runs the Kubernetes manifests (--k8s adds deploy files only, so it is that project's image too; kube-play.ts),
 * the default project's systemd unit runs under systemd as PID 1 (systemd-unit.ts), and a Redis project's
 * compose file under podman-compose (compose-up.ts).
 *
 * Time: one file, so every image builds one after another in a background queue from the start, each build
 * overlapping the cases before it (which mostly wait: drains, restarts, the pod's shutdown delay). One at a time:
 * a build already keeps both cores busy (`--jobs 2`), so a second one at once would only share them.
 */
const CASES = {
  default: {},
  stdio: { transport: 'stdio' },
  'jwt-otel': { auth: 'jwt', otel: true },
  pnpm: { packageManager: 'pnpm' },
  compose: { rateLimit: 'redis' },
} satisfies Record<string, AnswerInput>;
type Case = keyof typeof CASES;
const projects = {} as Record<Case, PreparedProject>;
const images = {} as Record<Case, Promise<Image>>;
let baseSize = 0;

beforeAll(async () => {
  await ensureContainers();
  baseSize = Number((await podman(['image', 'inspect', '--format', '{{.Size}}', 'node:24-slim'])).stdout);
  let queue: Promise<unknown> = Promise.resolve();
  for (const [name, input] of Object.entries(CASES) as [Case, AnswerInput][]) {
    const project = await prepareProject(input);
    projects[name] = project;
    // compose.yaml's `build: .` looks for its own name; the others get one of ours.
    const tag = name === 'compose' ? composeImage(project) : `localhost/prod-mcp-e2e/${name}`;
    const image = queue.then(() => buildImage(project.dir, tag));
    queue = image.catch(() => undefined); // a failed build fails its own case, not the next build
    images[name] = image.then((built) => {
      report(name, built, baseSize);
      return built;
    });
    images[name].catch(() => undefined); // awaited by the case; not an unhandled rejection meanwhile
  }
});
afterAll(async () => {
  await Promise.all(Object.values(projects).map((project) => project.remove()));
});

describe('the default project (HTTP + stdio, API keys, memory limits)', () => {
  let project: PreparedProject;
  let image: Image;
  let container: Container | undefined;
  const alice = apiKey('alice');
  const also: PreparedProject[] = [];

  beforeAll(async () => {
    project = projects.default;
    image = await images.default;
  });
  afterAll(async () => {
    await container?.remove();
    await Promise.all(also.map((p) => p.remove()));
  });

  test('runs read-only as uid 1000, serves an authenticated call, is healthy, drains an in-flight call on stop', async () => {
    const port = await freePort();
    container = await runContainer(image.tag, 'prod-mcp-e2e-default', [
      ...HARDENED,
      '-p',
      `127.0.0.1:${port}:3000`,
      // As the Dockerfile's comment prints it: required beyond loopback.
      ...['-e', 'ALLOWED_HOSTS=localhost,mcp.example.com'],
      '-e',
      `API_KEYS=${alice.entry}`,
      // The example npm_package tool asks this "registry": a slow one inside the container (below).
      '-e',
      'NPM_REGISTRY_URL=http://127.0.0.1:9999',
    ]);
    const url = new URL(`http://127.0.0.1:${port}/`);
    const headers = { authorization: `Bearer ${alice.key}` };
    await expectServing(container, url, headers);
    const refused = await fetch(new URL('/mcp', url), { method: 'POST', body: '{}' });
    // No key: 403 with the envelope (a 401 would send OAuth-aware clients looking for an OAuth server).
    expect(refused.status).toBe(403);

    // A registry that takes 2 s, on the container's own loopback (the root is read-only: the script is inline).
    const registry = `require('http').createServer((q, s) => setTimeout(() => { s.setHeader('content-type',
      'application/json'); s.end(JSON.stringify({ name: 'slow', version: '1.0.0', license: 'MIT' })); }, 2000))
      .listen(9999, '127.0.0.1')`;
    await podman(['exec', '-d', container.name, 'node', '-e', registry]);
    const client = new Client({ name: 'e2e-container', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // the registry is listening
    const inFlight = client.callTool({ name: 'npm_package_v1', arguments: { name: 'slow' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopping = expectCleanStop(container);
    // SIGTERM arrived mid-call: the call still completes with the registry's answer, then the process exits 0.
    const result = await inFlight;
    expect(result.isError ?? false, JSON.stringify(result)).toBe(false);
    expect(JSON.stringify(result.structuredContent)).toContain('"version":"1.0.0"');
    const seconds = await stopping;
    expect(seconds).toBeGreaterThan(1); // it waited for the call
    await client.close().catch(() => undefined);
  });

  test("the README's stdio line for the same image answers a real client", async () => {
    // README, "Run in Docker": `docker run -i --rm --no-healthcheck -e MCP_TRANSPORT=stdio <slug>`.
    const readme = await readFile(join(project.dir, 'README.md'), 'utf8');
    const line = /The same image serves stdio: `docker run ([^`]+) [\w-]+`/.exec(readme)?.[1];
    expect(line).toContain('MCP_TRANSPORT=stdio');
    const client = new Client({ name: 'e2e-container', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: 'podman',
        args: ['run', ...(line ?? '').split(' '), image.tag],
        env: podmanEnv() as Record<string, string>,
        stderr: 'ignore',
      }),
    );
    expect(client.getServerVersion()?.name).toBe(project.answers.name);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('convert_temperature_v2');
    await client.close();
  });

  test('with --k8s, the same image under podman kube play: probes, ConfigMap and Secret, drain', async () => {
    const k8s = await prepareProject({ k8s: true }, { install: false });
    also.push(k8s);
    const { reused } = await imageFor(k8s.dir, `localhost/${k8s.answers.name}:latest`, {
      dir: project.dir,
      tag: image.tag,
    });
    console.log(
      `[kube] the image of the --k8s project: ${reused ? 'the default image (same inputs)' : 'built'}`,
    );
    await expectKubePlay(k8s, alice);
  });

  test("with --systemd, the unit under systemd as PID 1, installed with the README's steps", async () => {
    // No install here: the README's first line (`npm install && npm run build && …`) is the install.
    const unit = await prepareProject({ systemd: true }, { install: false });
    also.push(unit);
    await expectSystemdUnit(unit, alice);
  });
});

describe('--transport stdio', () => {
  let project: PreparedProject;
  let image: Image;

  beforeAll(async () => {
    project = projects.stdio;
    image = await images.stdio;
  });
  afterAll(async () => {
    await podman(['rm', '--force', '--ignore', 'prod-mcp-e2e-stdio', 'prod-mcp-e2e-stdio-term']);
  });

  test('`docker run -i` answers initialize and a tool call over stdio; closing the pipe exits 0', async () => {
    const config = await podman(['image', 'inspect', '--format', '{{json .HealthCheck.Test}}', image.tag]);
    expect(JSON.parse(config.stdout)).toEqual(['NONE']);
    const client = new Client({ name: 'e2e-container', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: 'podman',
      args: ['run', '-i', '--name', 'prod-mcp-e2e-stdio', ...HARDENED, image.tag],
      env: podmanEnv() as Record<string, string>,
      stderr: 'ignore',
    });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe(project.answers.name);
    const result = await client.callTool({
      name: 'convert_temperature_v2',
      arguments: { value: 0, from: 'celsius', to: 'kelvin' },
    });
    expect(JSON.stringify(result.structuredContent)).toContain('273.15');
    await client.close();
    await waitFor(
      'the stdio container to exit',
      async () =>
        (await podman(['inspect', '--format', '{{.State.Status}}', 'prod-mcp-e2e-stdio'])).stdout.trim() ===
        'exited',
      async () => (await podman(['logs', 'prod-mcp-e2e-stdio'])).all,
    );
    const code = await podman(['inspect', '--format', '{{.State.ExitCode}}', 'prod-mcp-e2e-stdio']);
    expect(code.stdout).toBe('0');
  });

  test('SIGTERM while a client holds the pipe: drained, exit 0', async () => {
    const container = await runContainer(image.tag, 'prod-mcp-e2e-stdio-term', ['-i', ...HARDENED]);
    await waitFor(
      'the server to start',
      async () => (await container.logs()).includes('"msg":"ready"'),
      () => container.logs(),
    );
    await expectCleanStop(container);
  });
});

describe('--auth jwt --otel', () => {
  let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
  afterAll(async () => {
    await podman(['rm', '--force', '--ignore', 'prod-mcp-e2e-jwt-otel']);
    await collector?.close();
  });

  test('CMD preloads OpenTelemetry (--import): a tool call signed with a JWT reaches the collector as spans', async () => {
    const image = await images['jwt-otel'];
    collector = await startOtlpCollector();
    await expectOtelPreload(image, 'prod-mcp-e2e-jwt-otel', collector);
  });
});

describe('--pm pnpm', () => {
  let image: Image;
  let container: Container | undefined;
  const alice = apiKey('alice');

  beforeAll(async () => {
    image = await images.pnpm;
  });
  afterAll(async () => {
    await container?.remove();
  });

  test("pnpm's Dockerfile: installed by pnpm, run by node alone; serves, is healthy, drains on stop", async () => {
    const port = await freePort();
    container = await runContainer(image.tag, 'prod-mcp-e2e-pnpm', [
      ...HARDENED,
      ...['-p', `127.0.0.1:${port}:3000`, '-e', 'ALLOWED_HOSTS=localhost', '-e', `API_KEYS=${alice.entry}`],
    ]);
    await expectServing(container, new URL(`http://127.0.0.1:${port}/`), {
      authorization: `Bearer ${alice.key}`,
    });
    // node_modules is pnpm's (it records the pnpm that wrote it); pnpm itself stayed in the build stages.
    const modules = await container.exec(['cat', 'node_modules/.modules.yaml']);
    expect(modules.output).toMatch(/"packageManager": "pnpm@12\./);
    expect((await container.exec(['sh', '-c', 'command -v pnpm'])).exitCode).not.toBe(0);
    await expectCleanStop(container);
  });
});

describe('compose.yaml with --rate-limit redis, under podman-compose', () => {
  test('Redis starts first and is healthy; two replicas share the limit; stop drains; down leaves nothing', async () => {
    await images.compose;
    await expectComposeUp(projects.compose, apiKey('alice'));
  });
});
