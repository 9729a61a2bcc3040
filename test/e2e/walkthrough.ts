import { createHmac } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import type { PackageManager } from '../../src/core/answers.js';
import { parseProjectRun } from './conformance.js';
import { ensureNode24, NODE24_BIN } from './node.js';
import {
  CONVERTED,
  commandOf,
  healthy,
  overHttp,
  overStdio,
  type Started,
  startLine,
  waitFor,
} from './printed.js';
import { type RedisServer, startRedis } from './redis.js';

/**
 * The printed-commands walk through one generated project (printed-commands.test.ts): each line the CLI or
 * the README printed runs the way its kind needs (a command to completion, a server started and answered, a
 * manual step done by hand), once, and what ran and what did not (with why) is recorded.
 */

export interface Case {
  id: string;
  flags: string[];
  pm: PackageManager;
  /** false: `--no-install`, so "Next steps" prints the install command and this test runs it. */
  install: boolean;
  /** Runs `<pm> run conformance` as printed (~75 s); elsewhere it is listed as not run, with where it runs. */
  conformance?: true;
}

/** Commands printed for other machines or other suites: not run here, and the reason. */
const NOT_RUN_HERE: { pattern: RegExp; why: string }[] = [
  { pattern: /^docker /, why: 'the image and compose file are run by test/e2e/containers/deploy.test.ts' },
  { pattern: /^kubectl /, why: 'the manifests are checked by test/deploy; no cluster here' },
];

/** `npm test` runs the generated project's whole suite; default.test.ts already runs exactly that command. */
const RUN_BY_DEFAULT_TEST = 'npm test';

const JWT_SECRET = 'printed-commands-test-secret-0123456789';
export const ISSUER = 'https://auth.printed.test/';

/** An HS256 token for the JWT_* values this test fills in (what an authorization server would issue). */
function hs256(audience: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: ISSUER, aud: audience, sub: 'me', iat: now, exp: now + 600 })}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}

/** Sets `name=value` in a .env file, replacing the line (commented or not) that names it. */
export async function setEnv(file: string, values: Record<string, string>): Promise<void> {
  let text = await readFile(file, 'utf8');
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^#? ?${name}=.*$`, 'm');
    text = line.test(text) ? text.replace(line, `${name}=${value}`) : `${text}\n${name}=${value}\n`;
  }
  await writeFile(file, text);
}

/** One generated project and everything the user was told to run in it. */
export class Walkthrough {
  readonly ran: string[] = [];
  readonly notRun: string[] = [];
  cwd: string;
  env: NodeJS.ProcessEnv = {};
  port = 0;
  key = '';
  redis?: RedisServer;
  serverLog = '';

  constructor(
    readonly scratch: string,
    readonly kase: Case,
  ) {
    this.cwd = scratch;
  }

  get http(): boolean {
    return !this.kase.flags.includes('stdio');
  }
  get jwt(): boolean {
    return this.kase.flags.includes('jwt');
  }

  /** Headers a client sends: the pasted API key, or a token for the JWT values filled in. */
  headers(): Record<string, string> {
    if (this.jwt) return { Authorization: `Bearer ${hs256(`http://127.0.0.1:${this.port}/mcp`)}` };
    return this.key === '' ? {} : { Authorization: `Bearer ${this.key}` };
  }

  /** Output of each command already run in this project, by command. */
  readonly outputs = new Map<string, string>();

  async sh(line: string, env = this.env): Promise<string> {
    // The README's quick start repeats what "Next steps" ran (install, build, keys:new): running an unchanged
    // command twice in one project proves nothing more, so its first output stands (copying .env does rerun).
    const command = commandOf(line);
    const earlier = this.outputs.get(command);
    if (earlier !== undefined && !command.startsWith('cp ')) {
      this.ran.push(`${line}  [ran above]`);
      return earlier;
    }
    this.ran.push(line);
    const result = await execa('sh', ['-c', line], {
      cwd: this.cwd,
      env,
      extendEnv: false,
      all: true,
      reject: false,
      stdin: 'ignore',
      timeout: 300_000,
    });
    expect(result.exitCode, `\`${line}\` in ${this.cwd}:\n${result.all}`).toBe(0);
    this.outputs.set(command, result.all ?? '');
    return result.all ?? '';
  }

  /** The user's manual steps, as the line's comment (or the command's output) asks. */
  async manual(line: string, output: string): Promise<void> {
    const dotenv = join(this.cwd, '.env');
    if (/paste the API_KEYS line/.test(line)) {
      const entry = /^\s+(me:[0-9a-f]{64})\s*$/m.exec(output)?.[1];
      const key = /^\s+(mcp_[A-Za-z0-9_-]{43})\s*$/m.exec(output)?.[1];
      expect(entry, output).toBeDefined();
      this.key = key ?? '';
      await setEnv(dotenv, { API_KEYS: entry ?? '' });
    } else if (/^# in \.env: JWT_ISSUER/.test(line)) {
      await setEnv(dotenv, {
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: `http://127.0.0.1:${this.port}/mcp`,
        JWT_SECRET,
      });
    } else if (/^# in \.env: REDIS_URL/.test(line)) {
      this.redis ??= await startRedis();
      await setEnv(dotenv, { REDIS_URL: this.redis.url });
    } else if (line.startsWith('#')) {
      throw new Error(`a manual step this test does not know how to do: ${line}`);
    }
  }

  /** A long-running command (dev, start): started as printed, checked with a real client, stopped. */
  async serve(
    line: string,
    env = this.env,
    check = (started: Started) => this.answers(line, started),
  ): Promise<void> {
    // As in sh(): the same start command with the same configuration was already checked in this project.
    const command = commandOf(line);
    if (this.outputs.has(command)) {
      this.ran.push(`${line}  [ran above]`);
      return;
    }
    this.ran.push(line);
    const started: Started = startLine(line, this.cwd, env);
    try {
      await check(started);
    } finally {
      await started.stop();
      this.serverLog += started.output();
      this.outputs.set(command, started.output());
    }
  }

  /** The started server answers: a real client's call over HTTP, or its "ready" line on stdio. */
  async answers(line: string, started: Started): Promise<void> {
    if (this.http) {
      await waitFor(started, healthy(this.port), `/healthz on port ${this.port} after \`${line}\``);
      const seen = await overHttp(new URL(`http://127.0.0.1:${this.port}/mcp`), this.headers());
      expect(seen.converted).toEqual(CONVERTED);
    } else {
      await waitFor(started, () => /"msg":"ready"/.test(started.output()), `"ready" after \`${line}\``);
    }
  }

  /**
   * The conformance commands run on Node 24: the suite needs Node >= 22, as the project's `engines` says; the
   * rest of this walk runs on the machine's Node 20 on purpose (create warns about it, and nothing else needs 22).
   */
  async node24(): Promise<NodeJS.ProcessEnv> {
    await ensureNode24();
    return { ...this.env, PATH: `${NODE24_BIN}${delimiter}${this.env.PATH ?? ''}` };
  }

  /**
   * `conformance:serve` as printed: the real server plus the suite's fixtures, authentication off (the suite
   * cannot present credentials), on PORT (the environment wins over .env). It reads .env as start does: the
   * MCP_STATE_SECRET there means no warning that it is unset, and REDIS_URL is found.
   */
  async serveConformance(line: string): Promise<void> {
    await this.serve(line, await this.node24(), async (started) => {
      await waitFor(started, healthy(this.port), `/healthz on port ${this.port} after \`${line}\``);
      const seen = await overHttp(new URL(`http://127.0.0.1:${this.port}/mcp`));
      expect(seen.tools).toContain('test_simple_text');
      expect(seen.converted).toEqual(CONVERTED);
      expect(started.output()).toContain('"msg":"ready"');
      expect(started.output()).not.toMatch(/MCP_STATE_SECRET is not set|REDIS_URL: expected/);
    });
  }

  /** `conformance` as printed: the pinned suite, both revisions, against this project with its .env. */
  async conformance(line: string): Promise<void> {
    const command = commandOf(line);
    if (!this.kase.conformance) {
      const why = `${command} (budget: run as printed in the defaults case; default.test.ts and server.test.ts run it)`;
      if (!this.notRun.includes(why)) this.notRun.push(why);
      return;
    }
    const output = await this.sh(line, await this.node24());
    for (const score of parseProjectRun(output)) {
      expect(score.total, output).toBeGreaterThanOrEqual(30);
      expect(score.failing, output).toEqual([]);
    }
    expect(output).toContain('conformance: every scored scenario passes for 2026-07-28 and 2025-11-25');
  }

  /** The built server launched as `node dist/main.js [--stdio]` by an MCP client. */
  async stdioClient(command: string): Promise<void> {
    if (this.outputs.has(command)) {
      this.ran.push(`${command}  [ran above]`);
      return;
    }
    this.outputs.set(command, '');
    this.ran.push(command);
    const [exe = '', ...args] = command.split(' ');
    const seen = await overStdio({ command: exe, args, cwd: this.cwd, env: { PATH: this.env.PATH ?? '' } });
    expect(seen.converted).toEqual(CONVERTED);
    expect(seen.stderr).not.toMatch(/\/metrics|REDIS_URL: expected/);
  }

  /** Runs one printed line in the way its kind needs. */
  async line(line: string): Promise<void> {
    const started = Date.now();
    await this.lineUntimed(line);
    const last = this.ran.length - 1;
    if (last >= 0 && !this.ran[last]?.endsWith(']'))
      this.ran[last] += `  [${((Date.now() - started) / 1000).toFixed(1)} s]`;
  }

  async lineUntimed(line: string): Promise<void> {
    const command = commandOf(line);
    if (command === '') return this.manual(line, '');
    const cd = /^cd (\S+)$/.exec(command);
    if (cd?.[1]) {
      this.cwd = resolve(this.cwd, cd[1]);
      this.ran.push(line);
      return;
    }
    if (/ run conformance:serve$/.test(command)) return this.serveConformance(line);
    if (/ run conformance$/.test(command)) return this.conformance(line);
    if (/\brun dev$|\bstart$|\brun start$/.test(command)) return this.serve(line);
    if (/^node dist\/main\.js( --stdio)?$/.test(command)) return this.stdioClient(command);
    const skip = NOT_RUN_HERE.find((n) => n.pattern.test(command));
    if (skip) {
      this.notRun.push(`${command} (${skip.why})`);
      return;
    }
    if (command === RUN_BY_DEFAULT_TEST && this.kase.pm === 'npm') {
      this.notRun.push(`${command} (test/e2e/default.test.ts runs it)`);
      return;
    }
    if (/^(pnpm|bun|yarn) run test$/.test(command)) {
      // Budget (~3 minutes for this file): the generated suite alone takes one to three on a busy machine.
      this.notRun.push(`${command} (budget: the same suite runs under npm in default.test.ts)`);
      return;
    }
    if (/ run usage\b.*< server\.log$/.test(command))
      await writeFile(join(this.cwd, 'server.log'), this.serverLog);
    const output = await this.sh(line);
    await this.manual(line, output);
  }
}
