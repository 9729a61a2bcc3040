import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { REPO_ROOT } from '../superset.js';

/**
 * Typed helpers over podman for the container e2e cases. containers.mjs (beside this file) installs podman and
 * builds the stand-in base images; everything here runs podman with the settings it writes (runc, cgroupfs, no
 * default ulimits), so a case reads like the `docker …` commands our README prints.
 */
const SCRIPT = join(REPO_ROOT, 'test', 'e2e', 'containers', 'containers.mjs');
export const CONTAINERS_CONF = join(REPO_ROOT, '.cache', 'containers', 'containers.conf');
export const podmanEnv = () => ({ ...process.env, CONTAINERS_CONF });

let setUp: Promise<void> | undefined;
/** Tools and stand-in images, once per test process (seconds when podman already holds them). */
export function ensureContainers(): Promise<void> {
  setUp ??= execa('node', [SCRIPT, 'setup'], { all: true }).then(
    () => undefined,
    (error: { all?: string }) => {
      throw new Error(`container setup failed:\n${error.all ?? String(error)}`);
    },
  );
  return setUp;
}

export interface PodmanResult {
  exitCode: number;
  /** stdout, trimmed. */
  stdout: string;
  /** stdout and stderr interleaved. */
  all: string;
}

/** podman ARGS; rejects with everything it printed when it exits non-zero (unless `reject: false`). */
export async function podman(
  args: readonly string[],
  options: { reject?: boolean; timeout?: number } = {},
): Promise<PodmanResult> {
  const result = await execa('podman', args, {
    env: podmanEnv(),
    all: true,
    reject: false,
    timeout: options.timeout ?? 120_000,
    stdin: 'ignore',
  });
  const out = { exitCode: result.exitCode ?? -1, stdout: result.stdout.trim(), all: result.all };
  if (result.failed && options.reject !== false) {
    throw new Error(`podman ${args.join(' ')} failed (${out.exitCode}):\n${out.all}`);
  }
  return out;
}

export interface Image {
  tag: string;
  /** Bytes, as `podman image inspect` reports them. */
  size: number;
  buildSeconds: number;
}

/**
 * `docker build` of a generated project, with the flags containers.mjs uses (see projectBuildArgs there).
 * The image stays in podman's storage under its fixed tag: it is the layer cache of the next run, which then
 * rebuilds only what a template change touched (as a CI runner's Docker cache would).
 */
export async function buildImage(dir: string, tag: string): Promise<Image> {
  await ensureContainers();
  const { stdout } = await execa('node', [
    '-e',
    `import(${JSON.stringify(SCRIPT)}).then((m) => console.log(JSON.stringify(m.projectBuildArgs(${JSON.stringify(tag)}))))`,
  ]);
  const started = Date.now();
  await podman(['build', ...(JSON.parse(stdout) as string[]), dir], { timeout: 600_000 });
  const buildSeconds = Math.round((Date.now() - started) / 100) / 10;
  const size = Number((await podman(['image', 'inspect', '--format', '{{.Size}}', tag])).stdout);
  return {
    tag,
    size,
    buildSeconds,
  };
}

/** What an image is made of: the Dockerfile, .dockerignore and the files its allowlist lets in (lockfile aside). */
async function buildInputs(dir: string): Promise<Map<string, string>> {
  const names = [
    'Dockerfile',
    '.dockerignore',
    'package.json',
    ...(await readdir(dir)).filter((name) => /^tsconfig.*\.json$/.test(name)),
    ...(await readdir(join(dir, 'src'), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1)),
  ];
  return new Map(
    await Promise.all(
      names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as [string, string]),
    ),
  );
}

/**
 * The image of project `dir` under `tag`. When `dir` is built from exactly the inputs of an image already built
 * (a project whose flags added only deploy files, as --k8s and --systemd do), that image gets the second name: a
 * build would reproduce it layer for layer (the lockfile follows from the same package.json). Otherwise a build.
 */
export async function imageFor(
  dir: string,
  tag: string,
  built: { dir: string; tag: string },
): Promise<{ reused: boolean }> {
  const [mine, theirs] = await Promise.all([buildInputs(dir), buildInputs(built.dir)]);
  const differ = [...new Set([...mine.keys(), ...theirs.keys()])].filter(
    (n) => mine.get(n) !== theirs.get(n),
  );
  if (differ.length === 0) {
    await podman(['tag', built.tag, tag]);
    return { reused: true };
  }
  console.log(`[image] ${tag}: built on its own (${differ.slice(0, 3).join(', ')} differ from ${built.tag})`);
  if (!existsSync(join(dir, 'package-lock.json'))) {
    await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir });
  }
  await buildImage(dir, tag);
  return { reused: false };
}

export interface Container {
  name: string;
  logs(): Promise<string>;
  /** podman exec; resolves with the exit code and output. */
  exec(argv: readonly string[]): Promise<{ exitCode: number; output: string }>;
  /** `podman healthcheck run`: the image's HEALTHCHECK, once; true when it reports healthy. */
  healthy(): Promise<boolean>;
  /** `podman stop -t`: SIGTERM, SIGKILL after `timeout` s. Resolves with the exit code and the seconds it took. */
  stop(timeout?: number): Promise<{ exitCode: number; seconds: number }>;
  remove(): Promise<void>;
}

/** `podman run -d` with `args` before the image (flags) and `command` after it; removed by `remove()`. */
export async function runContainer(
  image: string,
  name: string,
  args: readonly string[],
  command: readonly string[] = [],
): Promise<Container> {
  await podman(['rm', '--force', '--ignore', name]);
  await podman(['run', '-d', '--name', name, ...args, image, ...command]);
  return containerNamed(name);
}

/** A handle on an existing container (one compose or kube play started). */
export function containerNamed(name: string): Container {
  return {
    name,
    logs: async () => (await podman(['logs', name], { reject: false })).all,
    exec: async (argv) => {
      const result = await podman(['exec', name, ...argv], { reject: false });
      return { exitCode: result.exitCode, output: result.all };
    },
    healthy: async () => (await podman(['healthcheck', 'run', name], { reject: false })).exitCode === 0,
    stop: async (timeout = 30) => {
      const started = Date.now();
      await podman(['stop', '-t', String(timeout), name]);
      const seconds = (Date.now() - started) / 1000;
      const code = (await podman(['inspect', '--format', '{{.State.ExitCode}}', name])).stdout;
      return { exitCode: Number(code), seconds };
    },
    remove: async () => {
      if (process.env.KEEP_E2E !== '1') await podman(['rm', '--force', '--ignore', name], { reject: false });
    },
  };
}

/** Polls `check` until it holds or `ms` pass; fails with `describe()`'s text (e.g. the container's logs). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  describe: () => Promise<string>,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not happen within ${ms / 1000} s:\n${await describe()}`);
}

/** Runs `node -e script` inside a container: how a case reaches a port that only the pod's network has. */
export async function nodeIn(container: Container, script: string) {
  return container.exec(['node', '-e', script]);
}

export const megabytes = (bytes: number) => Math.round(bytes / 1e5) / 10;

export interface InsideCall {
  status: number;
  body: string;
  /** The JSON-RPC result, when the server answered with one. */
  result?: { isError?: boolean; structuredContent?: unknown; content?: unknown };
}

/**
 * A 2026-07-28 `tools/call` made from inside a container with node's fetch, for the networks only containers
 * reach (the compose network, a pod, a systemd machine); the SDK client is not installed in the images.
 */
export async function callToolInside(
  container: Container,
  url: string,
  key: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<InsideCall> {
  const request = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': tool,
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: tool,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  };
  const script = `fetch(${JSON.stringify(url)}, ${JSON.stringify(request)})
    .then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })))`;
  const { exitCode, output } = await container.exec(['node', '-e', script]);
  if (exitCode !== 0) throw new Error(`tools/call from ${container.name} failed:\n${output}`);
  const { status, body } = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as InsideCall;
  const json = body.trimStart().startsWith('{') ? body : /^data: (.*)$/m.exec(body)?.[1];
  const result =
    json === undefined ? undefined : (JSON.parse(json) as { result?: InsideCall['result'] }).result;
  return { status, body, result };
}
