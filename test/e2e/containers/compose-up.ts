import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { execa } from 'execa';
import { expect } from 'vitest';
import type { PreparedProject } from '../harness.js';
import { callToolInside, containerNamed, podman, podmanEnv, waitFor } from './podman.js';

/**
 * Issue 16: the generated compose.yaml of a Redis project, run by podman-compose (1.0.3, Debian bookworm).
 * What podman-compose 1.0.3 cannot honour, and what this file proves instead:
 * - `depends_on: condition: service_healthy`: it only orders the starts (Redis first). Redis's own health is
 *   asserted here with `podman healthcheck run`, and the server reports ready only once Redis answers.
 * - `stop_grace_period`: it is not passed on (`down` stops with `-t 1`); a clean exit is asserted with an
 *   explicit `podman stop -t 30`, as `docker compose stop` would do with the grace period.
 * - Healthchecks run only when asked: podman schedules them with systemd timers, and there is no systemd here.
 * The second replica is a `podman-compose run` of the same service (the file publishes a fixed host port, so
 * `deploy.replicas` cannot give it a second one): same image, settings and network, reached by name.
 */
const LIMIT = 4;
const compose = (dir: string, args: string[]) =>
  execa('podman-compose', args, { cwd: dir, env: podmanEnv(), all: true, timeout: 180_000 });

/** The image `compose.yaml`'s `build: .` gets from podman-compose: `<project>_server`, the folder's name first. */
export const composeImage = (project: PreparedProject) => `${basename(project.dir)}_server`;

/**
 * Redis starts first and is healthy; two replicas share the limit; stop drains; down leaves nothing. Runs
 * `project` (made with --rate-limit redis; its image built beforehand as `composeImage(project)`, with the
 * harness's cache flags, so `up` does not rebuild it without them) with API_KEYS=`key.entry`.
 */
export async function expectComposeUp(project: PreparedProject, key: { key: string; entry: string }) {
  const name = basename(project.dir);
  // `cp .env.example .env`, then fill it in (README, "Compose").
  const example = await readFile(join(project.dir, '.env.example'), 'utf8');
  const env = example
    .replace(/^#?\s*API_KEYS=.*$/m, `API_KEYS=${key.entry}`)
    .replace(/^#?\s*RATE_LIMIT_PER_MINUTE=.*$/m, `RATE_LIMIT_PER_MINUTE=${LIMIT}`)
    // Replicas are reached by container name inside the network: those names are Host headers too.
    .concat(`\nALLOWED_HOSTS=localhost,${name}_server_1,${name}_server_2\n`);
  expect(env).toContain(`API_KEYS=${key.entry}`);
  expect(env).toContain(`RATE_LIMIT_PER_MINUTE=${LIMIT}`);
  await writeFile(join(project.dir, '.env'), env);
  try {
    await upAndShare(project.dir, name, key);
  } finally {
    if (process.env.KEEP_E2E !== '1') {
      await compose(project.dir, ['down']).catch(() => undefined);
      await podman(['rm', '--force', '--ignore', `${name}_server_2`]);
    }
  }
}

async function upAndShare(dir: string, name: string, key: { key: string }) {
  const up = await compose(dir, ['up', '-d']);
  const redis = containerNamed(`${name}_redis_1`);
  const server = containerNamed(`${name}_server_1`);
  const started = async (c: string) =>
    Date.parse(
      (await podman(['inspect', '--format', '{{.State.StartedAt}}', c])).stdout.split(' +')[0] ?? '',
    );
  expect(await started(redis.name), up.all).toBeLessThan(await started(server.name));
  await waitFor(
    'Redis healthy',
    () => redis.healthy(),
    () => redis.logs(),
  );

  // The published port, on loopback only, and readiness that includes Redis.
  const url = new URL('http://127.0.0.1:3000/');
  const ports = await podman(['port', server.name]);
  expect(ports.stdout).toBe('3000/tcp -> 127.0.0.1:3000');
  await waitFor(
    'the server ready (Redis reachable)',
    async () => (await fetch(new URL('/readyz', url))).status === 200,
    () => server.logs(),
  );

  // Replica 2: the same service, on the compose network, reached by name from replica 1.
  await compose(dir, ['run', '-d', '-T', '--name', `${name}_server_2`, 'server']);
  const replica = containerNamed(`${name}_server_2`);
  const fromInside = async (target: string) => {
    const reply = await callToolInside(
      server,
      `http://${target}:3000/mcp`,
      key.key,
      'convert_temperature_v2',
      {
        value: 1,
        from: 'celsius',
        to: 'kelvin',
      },
    );
    return {
      ok: reply.status === 200 && reply.result !== undefined && reply.result.isError !== true,
      reply: `${reply.status} ${reply.body}`,
    };
  };
  await waitFor(
    'replica 2 serving',
    async () =>
      (
        await server.exec([
          'node',
          '-e',
          `fetch('http://${replica.name}:3000/readyz').then((r) => process.exit(r.status === 200 ? 0 : 1))`,
        ])
      ).exitCode === 0,
    () => replica.logs(),
  );

  // The real client through the published port (replica 1) and raw calls to replica 2 draw on one budget.
  const client = new Client({ name: 'e2e-compose', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: { headers: { authorization: `Bearer ${key.key}` } },
    }),
  );
  const viaClient = () =>
    client
      .callTool({ name: 'convert_temperature_v2', arguments: { value: 1, from: 'celsius', to: 'kelvin' } })
      .then(
        (result) => ({ ok: result.isError !== true, reply: JSON.stringify(result) }),
        (error: Error) => ({ ok: false, reply: error.message }),
      );
  for (let i = 0; i < LIMIT / 2; i++) {
    const reply = await viaClient();
    expect(reply.ok, reply.reply).toBe(true);
  }
  for (let i = 0; i < LIMIT / 2; i++) {
    const reply = await fromInside(replica.name);
    expect(reply.ok, reply.reply).toBe(true);
  }
  // The limit is spent across both: each replica now refuses, which per-replica counting would not.
  const refusedThere = await fromInside(replica.name);
  expect(refusedThere.ok).toBe(false);
  expect(refusedThere.reply).toContain('RATE_LIMITED');
  const refusedHere = await viaClient();
  expect(refusedHere.ok).toBe(false);
  expect(refusedHere.reply).toContain('RATE_LIMITED');
  await client.close();
  for (const c of [server, replica]) expect(await c.logs()).not.toContain('Redis is unreachable');

  // Stop as compose would with stop_grace_period: 30s; both replicas drain and exit 0.
  for (const c of [replica, server]) {
    const { exitCode, seconds } = await c.stop(30);
    expect(exitCode, await c.logs()).toBe(0);
    expect(seconds).toBeLessThan(30);
  }
  await podman(['rm', replica.name]);
  await compose(dir, ['down']);
  const left = await podman([
    'ps',
    '-a',
    '--filter',
    `label=io.podman.compose.project=${name}`,
    '--format',
    '{{.Names}}',
  ]);
  expect(left.stdout).toBe('');
}
