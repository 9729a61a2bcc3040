import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { Client, ReadBuffer, serializeMessage, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { LogLine } from './logs.js';
import { BUILT_ENTRY, type ServerProcess, spawnServer } from './process.js';

type Era = 'legacy' | 'modern';

const clientFor = (era: Era) =>
  new Client(
    { name: 'test-client', version: '1.0.0' },
    {
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
      // It can answer a form (elicitation), as chat clients do: the destructive fixture asks before acting.
      capabilities: { elicitation: { form: {} } },
    },
  );

/**
 * The SDK's own stdio client transport, launching the server the way Claude Desktop or VS Code do
 * (`node dist/main.js --stdio`, or `entry`). Log lines from the server's stderr are collected in `logs`.
 */
export async function connectStdioClient(
  env: Record<string, string> = {},
  options: { era?: Era; entry?: readonly string[] } = {},
): Promise<{ client: Client; logs: LogLine[] }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...(options.entry ?? BUILT_ENTRY), '--stdio'],
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'debug', ...env },
    stderr: 'pipe',
  });
  const logs: LogLine[] = [];
  // A chunk may end mid-line: keep the tail until its newline arrives.
  let buffer = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const lines = (buffer + chunk.toString('utf8')).split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine);
  });
  const client = clientFor(options.era ?? 'modern');
  await client.connect(transport);
  return { client, logs };
}

/** The client side of a stdio connection to a process we spawned ourselves (to signal it and see its exit code). */
class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #buffer = new ReadBuffer();

  constructor(private readonly server: ServerProcess) {}

  async start(): Promise<void> {
    this.server.child.stdout?.on('data', (chunk: Buffer) => {
      this.#buffer.append(chunk);
      for (let message = this.#buffer.readMessage(); message !== null; message = this.#buffer.readMessage()) {
        this.onmessage?.(message);
      }
    });
    void this.server.exited.then(() => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.server.child.stdin?.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.server.child.stdin?.end();
  }
}

/** Spawns `entry --stdio` and connects an SDK client to it, keeping the process handle for the test. */
export async function spawnStdioServer(
  entry: readonly string[],
  env: Record<string, string> = {},
  options: { era?: Era } = {},
): Promise<ServerProcess & { client: Client }> {
  const server = spawnServer(entry, env, ['--stdio']);
  const client = clientFor(options.era ?? 'modern');
  await client.connect(new ChildProcessTransport(server));
  return { ...server, client };
}
