import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * `npm run conformance`: boots `npm run conformance:serve` on a free port and runs the pinned official suite
 * against it, once per protocol revision this server serves. It fails on any scored failure: there is no
 * list of expected failures.
 */
const REVISIONS = ['2026-07-28', '2025-11-25'];
const SUITE = '@modelcontextprotocol/conformance';

const server = spawn(process.execPath, ['--import', 'tsx', 'test/conformance/serve.ts'], {
  env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  server.once('exit', (code) =>
    reject(new Error(`conformance:serve exited with ${code} before it was ready`)),
  );
  for (const stream of [server.stdout]) {
    createInterface({ input: stream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'ready' && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
  }
});

/** The tasks extension's scenarios (`tasks-*`): the suite runs them but does not score them; we do. */
const TASK_LINE = /^\s+([✓✗]) (tasks-[\w-]+) \(extension\)/gm;

const run = (revision: string) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    const bin = new URL(`../../node_modules/${SUITE}/dist/index.js`, import.meta.url);
    const suite = spawn(
      process.execPath,
      [bin.pathname, 'server', '--url', url, '--requirements', revision],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    suite.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    suite.once('close', (code) => resolve({ code: code ?? 1, output }));
  });

let failed: string[] = [];
try {
  for (const revision of REVISIONS) {
    console.log(`\n# ${SUITE} server --requirements ${revision} against ${url}`);
    const { code, output } = await run(revision);
    if (code !== 0) failed = [...failed, revision];
    const tasks = [...output.matchAll(TASK_LINE)];
    if (tasks.length > 0) {
      const failing = tasks.filter((line) => line[1] === '✗').map((line) => line[2]);
      console.log(
        `\ntasks extension (${revision}): ${tasks.length - failing.length}/${tasks.length} scenarios pass`,
      );
      if (failing.length > 0) failed = [...failed, `the tasks extension (${failing.join(', ')})`];
    }
  }
} finally {
  server.kill('SIGTERM');
}
if (failed.length > 0) {
  console.error(`\nconformance: scored failures for ${failed.join(' and ')} (see above)`);
  process.exit(1);
}
console.log(
  `\nconformance: every scored scenario passes for ${REVISIONS.join(' and ')}, and every tasks-* scenario`,
);
