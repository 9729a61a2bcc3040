import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/**
 * Reading what the generator prints and what the generated README says, and driving it: the parsers take
 * the real output apart (nothing here re-types a command), the runners start what it describes and make a
 * real MCP call through it with the SDK client.
 */

export interface NextSteps {
  /** The shell lines of the "Next steps:" block, in order, exactly as printed. */
  commands: string[];
  /** The bullet notes, each joined back into one line (the CLI wraps them). */
  notes: string[];
}

export function parseNextSteps(stdout: string): NextSteps {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'Next steps:');
  if (start === -1) throw new Error(`no "Next steps:" block in:\n${stdout}`);
  const commands: string[] = [];
  let i = start + 1;
  for (; i < lines.length && (lines[i] ?? '').startsWith('  ') && (lines[i] ?? '').trim() !== ''; i++)
    commands.push((lines[i] ?? '').slice(2));
  const notes: string[] = [];
  for (i++; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('  • ')) notes.push(line.slice(4));
    else if (line.startsWith('    ') && notes.length > 0) notes[notes.length - 1] += ` ${line.trim()}`;
    else break;
  }
  return { commands, notes };
}

/** The `backticked` spans of a text. */
export const backticked = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

/** The first fenced block of `lang` after the line that contains `marker` (a heading or a bullet). */
export function fencedBlockAfter(markdown: string, marker: string, lang: string): string {
  const from = markdown.indexOf(marker);
  if (from === -1) throw new Error(`README has no "${marker}"`);
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\\n\\s*\`\`\``).exec(markdown.slice(from));
  if (!match?.[1]) throw new Error(`README has no \`\`\`${lang} block after "${marker}"`);
  // Blocks inside a list item are indented; the JSON or shell itself is not.
  return match[1]
    .split('\n')
    .map((line) => line.replace(/^ {2,4}/, ''))
    .join('\n');
}

/**
 * A README section: from the heading line (`## …` or `### …`, given whole) up to the next heading of the same
 * or a higher level; '' when the README has no such heading (the feature that writes it is off).
 */
export function sectionOf(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) return '';
  const level = heading.indexOf(' ');
  let fenced = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] ?? '';
    // A `# comment` inside a shell block is not a heading.
    if (line.trimStart().startsWith('```')) fenced = !fenced;
    else if (!fenced && /^#+ /.test(line) && line.indexOf(' ') <= level) break;
  }
  return lines.slice(start, end).join('\n');
}

/** The command part of a shell line (before a ` # comment`; '' for a comment line), trimmed. */
export const commandOf = (line: string): string => line.replace(/(^|\s+)#\s.*$/, '').trim();

/** A process started from a printed command line (`sh -c <line>`), in its own process group. */
export interface Started {
  child: ChildProcess;
  output(): string;
  /** SIGTERM to the whole group (npm → node → tsx), then waits for the shell to exit. */
  stop(): Promise<void>;
}

export function startLine(line: string, cwd: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn('sh', ['-c', line], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit');
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(-child.pid, 'SIGTERM');
        const timer = setTimeout(
          () => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'),
          10_000,
        );
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Waits until `probe` is true, failing with what the process printed when it exits or time runs out. */
export async function waitFor(
  started: Started,
  probe: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    if (started.child.exitCode !== null) break;
    await sleep(200);
  }
  await started.stop();
  throw new Error(`waited for ${what}; the process printed:\n${started.output()}`);
}

export const healthy = (port: number) => async (): Promise<boolean> =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    (res) => res.ok,
    () => false,
  );

/** What a real client saw: the tool names it listed, and one successful call's structured result. */
export interface Seen {
  tools: string[];
  converted: unknown;
}

async function exercise(client: Client): Promise<Seen> {
  const { tools } = await client.listTools();
  const result = await client.callTool({
    name: 'convert_temperature_v2',
    arguments: { value: 100, from: 'celsius', to: 'fahrenheit' },
  });
  await client.close();
  return { tools: tools.map((tool) => tool.name), converted: result.structuredContent };
}

const client = () => new Client({ name: 'printed-commands', version: '1.0.0' });

/** Connects the SDK client over Streamable HTTP with the given headers, lists tools and calls one. */
export async function overHttp(url: URL, headers: Record<string, string> = {}): Promise<Seen> {
  const c = client();
  await c.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return exercise(c);
}

/** Launches the server as an MCP client config says (command, args, env, cwd) and talks to it over stdio. */
export async function overStdio(launch: {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}): Promise<Seen & { stderr: string }> {
  const transport = new StdioClientTransport({ ...launch, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const c = client();
  await c.connect(transport);
  return { ...(await exercise(c)), stderr };
}

/** The result every successful call above must show: 100 °C in °F. */
export const CONVERTED = { value: 212, unit: 'fahrenheit' };
