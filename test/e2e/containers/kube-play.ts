import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { parseYaml } from '../../deploy/yaml.js';
import type { PreparedProject } from '../harness.js';
import { containerNamed, podman, podmanEnv, waitFor } from './podman.js';

/**
 * Issue 16: the generated ConfigMap and Deployment played by `podman kube play` (podman 4.3) with the image built
 * from the generated Dockerfile (named `localhost/<slug>:latest` by the caller: the Deployment's bare slug), and
 * the Secret's data created the way podman 4.3 reads one for `envFrom.secretRef` (a podman secret of the same
 * name; a Secret manifest in the YAML is not read by 4.3).
 * What kube play does not run: the kubelet's HTTP probes (podman turns a liveness httpGet into a `curl`
 * healthcheck, and the image has no curl; startup and readiness probes are ignored). So each probe is asked
 * from inside the pod the way the kubelet asks it: its path and port, with the pod IP as Host. The Service, HPA,
 * PDB and NetworkPolicy stay covered by the schema validation in test/deploy/k8s.test.ts.
 */
type Probe = { httpGet: { path: string; port: string } };
type Manifest = {
  spec: {
    template: {
      spec: {
        containers: ({ ports: { name: string; containerPort: number }[] } & Record<string, Probe>)[];
      };
    };
  };
};

/**
 * The pod starts as uid 1000 read-only, config and secret reach it, the probe paths answer, it drains. Plays
 * `project`'s deploy/k8s with `localhost/<slug>:latest` and API_KEYS=`key.entry`; takes the pod down after.
 */
export async function expectKubePlay(project: PreparedProject, key: { key: string; entry: string }) {
  const slug = project.answers.name;
  // What `kubectl create secret generic <slug> --from-env-file=secrets.env` (README) stores, in the form
  // podman 4.3 reads for `envFrom.secretRef`: a podman secret holding the Secret's data (base64 values) as JSON.
  const secret = JSON.stringify({ API_KEYS: Buffer.from(key.entry).toString('base64') });
  await podman(['secret', 'rm', slug], { reject: false });
  // A file, not stdin: podman accepts `-` only from a named pipe, and node gives children sockets.
  const file = join(project.dir, 'secret.json');
  await writeFile(file, secret);
  await podman(['secret', 'create', slug, file]);
  await rm(file);
  const k8s = join(project.dir, 'deploy/k8s');
  try {
    await playAndProbe(k8s, slug, key);
  } finally {
    if (process.env.KEEP_E2E !== '1') {
      await podman(['kube', 'down', join(k8s, 'deployment.yaml')], { reject: false });
      await podman(['secret', 'rm', slug], { reject: false });
    }
  }
}

async function playAndProbe(k8s: string, slug: string, key: { key: string; entry: string }) {
  const play = await podman([
    'kube',
    'play',
    '--configmap',
    join(k8s, 'configmap.yaml'),
    join(k8s, 'deployment.yaml'),
  ]);
  const pod = `${slug}-pod-0`;
  const name = (await podman(['ps', '--filter', `pod=${pod}`, '--format', '{{.Names}}'])).stdout
    .split('\n')
    .find((n) => n.endsWith('-server'));
  expect(name, play.all).toBeDefined();
  const server = containerNamed(name ?? '');
  const inPod = (script: string) => server.exec(['node', '-e', script]);
  const get = (path: string, host: string, headers = '{}') =>
    inPod(`require('http').get({ host: '127.0.0.1', port: 3000, path: '${path}', headers: { host: '${host}', ...${headers} } },
      (r) => { console.log(r.statusCode); r.resume(); }).on('error', (e) => { console.log(e.message); })`);
  await waitFor(
    'the server listening',
    async () => (await get('/healthz', 'localhost')).output.trim() === '200',
    () => server.logs(),
  );

  // securityContext: runAsUser/runAsGroup 1000, read-only root.
  expect((await server.exec(['cat', '/proc/1/status'])).output).toMatch(
    /^Uid:\s+1000\s+1000\s+1000\s+1000$/m,
  );
  expect((await server.exec(['touch', '/app/x'])).output).toMatch(/Read-only file system/);

  // Each probe, as the kubelet sends it: the named port resolves to the server's port, Host is the pod IP.
  const manifest = parseYaml<Manifest>(
    await readFile(join(k8s, 'deployment.yaml'), 'utf8'),
    'deployment.yaml',
  );
  const [container] = manifest.spec.template.spec.containers;
  const port = container?.ports.find((p) => p.name === 'http')?.containerPort;
  expect(port).toBe(3000);
  for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const probe = container?.[kind]?.httpGet;
    expect(probe?.port, kind).toBe('http');
    expect((await get(probe?.path ?? '', '10.88.0.7:3000')).output.trim(), `${kind} ${probe?.path}`).toBe(
      '200',
    );
  }

  // ConfigMap: ALLOWED_HOSTS admits the names it lists and only those; the Secret: API_KEYS lets its key in.
  const call = (host: string) => get('/mcp', host, JSON.stringify({ authorization: `Bearer ${key.key}` }));
  expect((await get('/mcp', 'evil.example')).output.trim()).toBe('403');
  const environ = (await server.exec(['cat', '/proc/1/environ'])).output.split('\0');
  expect(environ).toContain(`ALLOWED_HOSTS=${slug},mcp.example.com`);
  expect(environ).toContain('SHUTDOWN_DELAY_MS=5000');
  expect(environ).toContain(`API_KEYS=${key.entry}`);
  // GET /mcp with a valid key passes Host and auth checks and reaches the transport (405: POST only).
  expect((await call('mcp.example.com')).output.trim()).toBe('405');
  expect(
    (await get('/mcp', 'mcp.example.com', JSON.stringify({ authorization: 'Bearer wrong' }))).output.trim(),
  ).toBe('403');

  // terminationGracePeriodSeconds: 30 covers SHUTDOWN_DELAY_MS (5 s, /readyz 503 meanwhile) and the drain.
  // A watcher inside the pod, started before the stop (podman refuses new execs once a container is
  // stopping), asks /readyz every 200 ms as the readiness probe would, until the pod is gone.
  const watcher = execa(
    'podman',
    [
      'exec',
      server.name,
      'node',
      '-e',
      `setInterval(() => require('http').get({ host: '127.0.0.1', port: 3000,
      path: '/readyz' }, (r) => { console.log(r.statusCode); r.resume(); }).on('error', () => {}), 200)`,
    ],
    { env: podmanEnv(), reject: false },
  );
  let statuses = '';
  watcher.stdout?.on('data', (chunk: Buffer) => {
    statuses += chunk.toString();
  });
  await waitFor(
    'the watcher running',
    async () => statuses.includes('200'),
    () => server.logs(),
  );
  const stopping = server.stop(30);
  const { exitCode, seconds } = await stopping;
  expect(exitCode, await server.logs()).toBe(0);
  expect(seconds).toBeGreaterThanOrEqual(5);
  expect(seconds).toBeLessThan(30);
  await watcher;
  const seen = [...new Set(statuses.trim().split('\n'))];
  expect(seen).toEqual(['200', '503']);
}
