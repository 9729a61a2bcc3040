// Generator render time for the full-featured project (no install), the median of several runs.
// Baseline, measured in the same run: `node -e 0` (Node's own start-up, which no CLI can beat), so the
// ratio says how much the generator adds on top of starting Node. Needs `npm run build` (npm run bench does it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { render } = await import(join(root, 'dist/core/render.js'));
const { withLock } = await import(join(root, 'dist/core/lock.js'));
const { loadTemplates } = await import(join(root, 'dist/core/templates.js'));

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
const ms = (x) => `${x.toFixed(1)} ms`;

function timeProcess(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  }
  return median(times);
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

const RUNS = 11;
const cli = join(root, 'dist/cli/index.js');
const nodeStart = timeProcess(['-e', '0'], RUNS);
const dryRun = timeProcess([cli, join(tmpdir(), 'bench-server'), '--yes', '--dry-run', ...FULL_FLAGS], RUNS);
const writes = [];
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'prod-mcp-bench-'));
  writes.push(
    timeProcess([cli, join(dir, 'bench-server'), '--yes', '--no-install', '--no-git', ...FULL_FLAGS], 1),
  );
  rmSync(dir, { recursive: true, force: true });
}
const write = median(writes);

console.log(`full-featured project: ${files} files`);
console.log(
  `render in process   first ${ms(inProcess[0])}, median of ${inProcess.length} ${ms(median(inProcess))}`,
);
console.log(`node -e 0           median of ${RUNS} ${ms(nodeStart)}  (baseline)`);
console.log(
  `CLI --dry-run       median of ${RUNS} ${ms(dryRun)}  ${(dryRun / nodeStart).toFixed(2)}x baseline`,
);
console.log(
  `CLI write project   median of ${RUNS} ${ms(write)}  ${(write / nodeStart).toFixed(2)}x baseline`,
);
