/**
 * The e2e harness: generate a project, install it for real, and run its own scripts on Node 20 and 24.
 *
 * Usage (from any test/e2e/*.test.ts):
 *
 *   import { bootServer, prepareProject } from './harness.js';
 *
 *   const project = await prepareProject({ transport: 'http', auth: 'jwt' }); // AnswerInput; rest = defaults
 *   await project.run('npm', ['run', 'typecheck']);                 // machine Node (20)
 *   await project.run('npm', ['test'], { node: 24, env: { FOO: '1' } });
 *   await project.run('npm', ['run', 'build']);
 *   const server = await bootServer(project.dir, { API_KEYS: '...' }, { node: 24 });
 *   const res = await fetch(new URL('/healthz', server.url));        // server.url = http://127.0.0.1:<port>/
 *   await server.stop();                                              // SIGTERM, waits for exit
 *   await project.remove();                                           // in afterAll; KEEP_E2E=1 keeps it
 *
 * - `prepareProject` validates the answers with the CLI's own validator (an invalid combination throws),
 *   writes exactly what `create` writes (projectFiles: lock and merge base included) with the real atomic
 *   writer, copies the shared superset node_modules in (hard links) and runs `npm install --prefer-offline`:
 *   a real install, so a dependency missing from the generated package.json fails here. Each project lives
 *   in its own temp dir.
 * - A project made with another package manager (`packageManager: 'pnpm'`) is installed by that manager, pinned
 *   in package-managers.ts, from its own cache: no superset (pnpm and bun lay node_modules out their own way).
 * - `install: false` writes the files and links the superset but installs nothing: for a case whose printed
 *   commands do the install themselves.
 * - `run` rejects with the command's full output when it exits non-zero, so a failing `tsc` shows its errors.
 * - Cases run one file at a time (vitest.config.ts, project `e2e`); inside a file keep cases sequential too:
 *   each already uses both cores.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa, type Result } from 'execa';
import { type Answers, pmOf } from '../../src/core/answers.js';
import { projectFiles } from '../../src/core/project.js';
import { type AnswerInput, resolveAnswers } from '../../src/core/validate.js';
import { writeNewProject } from '../../src/core/write.js';
import { ensureNode24, envFor, type NodeVersion } from './node.js';
import { packageManagerEnv } from './package-managers.js';
import { ensureSuperset } from './superset.js';

export type { NodeVersion } from './node.js';
export { bootServer, type RunningServer } from './server.js';

export interface RunOptions {
  /** 20: the machine's Node (default); 24: the Dockerfile's Node. */
  node?: NodeVersion;
  env?: Record<string, string>;
  /** Milliseconds before the command is killed (default 5 minutes). */
  timeout?: number;
}

export interface PreparedProject {
  dir: string;
  answers: Answers;
  run(command: string, args?: readonly string[], options?: RunOptions): Promise<Result>;
  /** Deletes the project's temp dir (kept when KEEP_E2E=1, to look at a failure). */
  remove(): Promise<void>;
}

/** Runs a command in `dir` on the chosen Node; the error carries everything it printed. */
export async function runIn(
  dir: string,
  command: string,
  args: readonly string[] = [],
  options: RunOptions = {},
): Promise<Result> {
  const node = options.node ?? 20;
  if (node === 24) await ensureNode24();
  const result = await execa(command, args, {
    cwd: dir,
    env: envFor(node, options.env),
    extendEnv: false,
    all: true,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeout ?? 300_000,
  });
  if (result.failed) {
    throw new Error(
      `\`${command} ${args.join(' ')}\` on Node ${node} failed in ${dir}:\n${result.all ?? ''}`,
    );
  }
  return result;
}

/** Generates, writes and installs one project; see the usage note at the top of this file. */
export async function prepareProject(
  input: AnswerInput = {},
  options: { install?: boolean } = {},
): Promise<PreparedProject> {
  const answers = resolveAnswers(input, input.name ?? 'e2e-server');
  const dir = join(await mkdtemp(join(tmpdir(), 'prod-mcp-e2e-')), answers.name.replace(/^@.*\//, ''));
  await writeNewProject(dir, projectFiles(answers));

  const pm = pmOf(answers);
  if (pm !== 'npm') {
    if (options.install !== false) await runIn(dir, pm, ['install'], { env: await packageManagerEnv(pm) });
  } else {
    const modules = await ensureSuperset();
    // Hard links: ~0.1 s instead of ~0.3 s for a copy. npm replaces packages by writing new files, never by
    // editing linked ones in place, so the shared superset stays intact.
    await execa('cp', ['-al', modules, join(dir, 'node_modules')]).catch(() =>
      cp(modules, join(dir, 'node_modules'), { recursive: true }),
    );
    if (options.install !== false) {
      await runIn(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund']);
    }
  }
  return {
    dir,
    answers,
    run: (command, args, options) => runIn(dir, command, args, options),
    remove: async () => {
      if (process.env.KEEP_E2E !== '1') await rm(dirname(dir), { recursive: true, force: true });
    },
  };
}
