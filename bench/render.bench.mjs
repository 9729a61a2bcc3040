// Generator speed (issue 15: a create within 150 ms, as fast as create-vite). Each CLI row is the median of RUNS
// runs, interleaved round by round so machine drift hits every row alike, and is compared with the same run's
// `node -e 0` (Node's own start-up, which no CLI can beat) and, when it can be installed into .cache, with
// create-vite rendering its vanilla-ts template: ratios, not absolute times, are what carry across machines.
// Needs `npm run build` (npm run bench does it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { render } = await import(join(root, 'dist/core/render.js'));
const { withLock } = await import(join(root, 'dist/core/lock.js'));
const { loadTemplates } = await import(join(root, 'dist/core/templates.js'));

const RUNS = 11;
const FULL_FLAGS =
  '--transport both --auth jwt --rate-limit redis --docker --systemd --k8s --otel --metrics'.split(' ');
const answers = {
  name: 'bench-server',
  transport: 'both',
  auth: 'jwt',
  rateLimit: 'redis',
  docker: true,
  systemd: true,
  k8s: true,
  otel: true,
  metrics: true,
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`.padStart(9);

/** create-vite, pinned, in .cache (installed on first use; the row is left out when npm cannot reach it). */
const VITE_VERSION = '9.3.0';
const viteDir = join(root, '.cache', 'create-vite');
const viteBin = join(viteDir, 'node_modules', 'create-vite', 'index.js');
if (!existsSync(viteBin)) {
  spawnSync(
    'npm',
    ['install', '--prefix', viteDir, '--no-audit', '--no-fund', `create-vite@${VITE_VERSION}`],
    { stdio: 'ignore' },
  );
}

const cli = join(root, 'dist/cli/index.js');
/** Row name → the node arguments of one run, started in a fresh scratch folder (the project goes inside). */
const rows = {
  'node -e 0': () => ['-e', '0'],
  'create --help': () => [cli, '--help'],
  'create defaults': () => [cli, 'my-server', '--yes', '--no-install', '--no-git'],
  'full --dry-run': () => [cli, 'bench-server', '--yes', '--dry-run', ...FULL_FLAGS],
  'full, written': () => [cli, 'bench-server', '--yes', '--no-install', '--no-git', ...FULL_FLAGS],
  ...(existsSync(viteBin)
    ? { 'create-vite': () => [viteBin, 'vite-app', '--template', 'vanilla-ts', '--no-interactive'] }
    : {}),
};

const times = Object.fromEntries(Object.keys(rows).map((name) => [name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const [name, args] of Object.entries(rows)) {
    const dir = mkdtempSync(join(tmpdir(), 'prod-mcp-bench-'));
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args(), {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, CI: '1' },
    });
    times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    rmSync(dir, { recursive: true, force: true });
    if (result.status !== 0)
      throw new Error(`${name}: node ${args().join(' ')} exited with ${result.status}`);
  }
}

// In process: read templates from disk and render everything, every run (the first run also compiles).
const inProcess = [];
let files = 0;
for (let i = 0; i < 30; i++) {
  const start = process.hrtime.bigint();
  const tree = withLock(answers, render(answers, { templates: loadTemplates() }));
  inProcess.push(Number(process.hrtime.bigint() - start) / 1e6);
  files = tree.size;
}

const node = median(times['node -e 0']);
const vite = times['create-vite'] === undefined ? undefined : median(times['create-vite']);
console.log(`Node ${process.version}; CLI rows: median of ${RUNS} interleaved runs`);
console.log('row                  median    x node -e 0   x create-vite');
for (const name of Object.keys(rows)) {
  const m = median(times[name]);
  const cells = [name.padEnd(17), ms(m), `${(m / node).toFixed(2)}x`.padStart(12)];
  if (vite !== undefined) cells.push(`${(m / vite).toFixed(2)}x`.padStart(14));
  console.log(cells.join(' '));
}
if (vite === undefined) console.log(`(create-vite@${VITE_VERSION} could not be installed into ${viteDir})`);
console.log(
  `full-featured render in process (${files} files): first ${ms(inProcess[0])}, median of ${inProcess.length} ${ms(median(inProcess))}`,
);
