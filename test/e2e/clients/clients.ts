import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { envFor, NODE24_BIN } from '../node.js';
import { CLIENTS_DIR, DRIVERS_DIR } from './install.js';
import type { Step } from './steps.js';

export type Transport =
  | { type: 'http'; url: string; headers: Record<string, string> }
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string> };

/** What a client handed its caller for one step. */
export type Outcome =
  | { tools: string[] }
  | { result: Record<string, unknown> }
  | { thrown: { name?: string; message: string; code?: unknown; data?: unknown } };

export interface Report {
  /** Set when the client could not even connect (e.g. refused credentials): what it threw. */
  connect?: { thrown: { message: string } };
  outcomes?: Record<string, Outcome>;
  /** A stdio server's (or bridge's) stderr, where a desktop host shows its log. */
  stderr?: string;
}

/** What the agent gets to read for a step: the text a model sees, and the envelope a program can read. */
export interface Seen {
  kind: 'list' | 'result' | 'thrown';
  text: string;
  isError?: boolean;
  meta?: Record<string, unknown>;
  structured?: unknown;
  tools?: string[];
}

export interface MatrixClient {
  name: string;
  transports: readonly ('http' | 'stdio')[];
  run(transport: Transport, steps: Step[]): Promise<Report>;
  see(outcome: Outcome): Seen;
}

export const NODE24 = join(NODE24_BIN, 'node');
const MCP_REMOTE = join(CLIENTS_DIR, 'node_modules', 'mcp-remote', 'dist', 'proxy.js');
const INSPECTOR = join(
  CLIENTS_DIR,
  'node_modules',
  '@modelcontextprotocol',
  'inspector',
  'clients',
  'launcher',
  'build',
  'index.js',
);

/** Each client gets an empty HOME: the Inspector and mcp-remote keep OAuth state and catalogs there. */
const freshHome = () => mkdtemp(join(tmpdir(), 'prod-mcp-client-home-'));

async function driver(name: string, transport: Transport, steps: Step[]): Promise<Report> {
  const home = await freshHome();
  const result = await execa(
    NODE24,
    [join(DRIVERS_DIR, `${name}.mjs`), JSON.stringify({ transport, steps })],
    {
      cwd: DRIVERS_DIR,
      env: envFor(24, { HOME: home }),
      extendEnv: false,
      reject: false,
      timeout: 120_000,
    },
  );
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Report;
  } catch {
    throw new Error(
      `driver ${name} printed no report (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

const textOf = (result: Record<string, unknown>) =>
  ((result.content as { type: string; text?: string }[] | undefined) ?? [])
    .map((block) => block.text ?? JSON.stringify(block))
    .join('\n');

/** An MCP SDK client's view: the CallToolResult its `callTool` resolved to, or what it threw. */
function sdkView(outcome: Outcome): Seen {
  if ('tools' in outcome) return { kind: 'list', text: '', tools: outcome.tools };
  if ('thrown' in outcome) return { kind: 'thrown', text: outcome.thrown.message };
  const { result } = outcome;
  return {
    kind: 'result',
    text: textOf(result),
    isError: result.isError === true,
    meta: result._meta as Record<string, unknown> | undefined,
    structured: result.structuredContent,
  };
}

const sdkClient = (name: string, driverName: string, viaMcpRemote = false): MatrixClient => ({
  name,
  transports: viaMcpRemote ? ['http'] : ['http', 'stdio'],
  run: (transport, steps) => {
    if (!viaMcpRemote || transport.type !== 'http') return driver(driverName, transport, steps);
    // mcp-remote is what a stdio-only host (Claude Desktop) launches to reach an HTTP server; the host's
    // client (the v1 SDK) talks stdio to it. Headers go on its command line, as its README shows.
    const headers = Object.entries(transport.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]);
    return driver(
      driverName,
      { type: 'stdio', command: NODE24, args: [MCP_REMOTE, transport.url, ...headers], env: {} },
      steps,
    );
  },
  see: sdkView,
});

export const sdkV1 = sdkClient('v1 SDK client', 'sdk-v1');
export const sdkV2 = sdkClient('v2 SDK client', 'sdk-v2');
export const mcpRemote = sdkClient('mcp-remote (v1 client over stdio)', 'sdk-v1', true);

/** The AI SDK: what the model sees is `toModelOutput` of what the tool's `execute` returned. */
export const aiSdk: MatrixClient = {
  name: 'Vercel AI SDK',
  transports: ['http', 'stdio'],
  run: (transport, steps) => driver('ai-sdk', transport, steps),
  see(outcome) {
    if (!('result' in outcome)) return sdkView(outcome);
    const { output, modelOutput } = outcome.result as {
      output: Record<string, unknown>;
      modelOutput: { type: string; value: { type: string; text?: string }[] };
    };
    return {
      kind: 'result',
      text: modelOutput.value.map((part) => part.text ?? '').join('\n'),
      isError: output.isError === true,
      meta: output._meta as Record<string, unknown> | undefined,
      structured: output.structuredContent,
    };
  },
};

/**
 * The MCP Inspector's CLI, run as a user runs it: one command per operation (`--method tools/call
 * --tool-name … --tool-args-json …`, `--format json`), on Node 24 (it needs >= 22.19). Over stdio every
 * command starts its own server, which the server's per-process limits cannot see across.
 */
export const inspector: MatrixClient = {
  name: 'MCP Inspector CLI',
  transports: ['http', 'stdio'],
  async run(transport, steps) {
    const home = await freshHome();
    const target =
      transport.type === 'http'
        ? [
            '--transport',
            'http',
            '--server-url',
            transport.url,
            // --header takes several values: it would swallow a URL given after it as a target.
            ...Object.entries(transport.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
          ]
        : [
            ...Object.entries(transport.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
            '--',
            transport.command,
            ...transport.args,
          ];
    const outcomes: Record<string, Outcome> = {};
    for (const step of steps) {
      const method = step.list
        ? ['--method', 'tools/list']
        : [
            '--method',
            'tools/call',
            '--tool-name',
            step.tool ?? '',
            '--tool-args-json',
            JSON.stringify(step.arguments ?? {}),
          ];
      const run = await execa(NODE24, [INSPECTOR, '--cli', '--format', 'json', ...method, ...target], {
        env: envFor(24, { HOME: home }),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: 60_000,
      });
      outcomes[step.id] = inspectorOutcome(run.stdout, run.stderr);
    }
    return { outcomes };
  },
  see: sdkView,
};

function inspectorOutcome(stdout: string, stderr: string): Outcome {
  const printed =
    stdout.trim() === '' ? undefined : (JSON.parse(stdout) as { result?: Record<string, unknown> });
  const result = printed?.result;
  if (result && Array.isArray(result.tools))
    return { tools: result.tools.map((tool: { name: string }) => tool.name) };
  if (result) return { result };
  // No result: the CLI reports why on stderr, as one JSON line among the server's own log lines.
  const line = stderr
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{"error"'));
  const error = line ? (JSON.parse(line) as { error: { code: string; message: string } }).error : undefined;
  return {
    thrown: { message: error ? `${error.code}: ${error.message}` : stderr.trim(), code: error?.code },
  };
}
