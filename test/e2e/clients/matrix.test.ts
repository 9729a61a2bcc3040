import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  aiSdk,
  inspector,
  type MatrixClient,
  mcpRemote,
  type Report,
  type Seen,
  sdkV1,
  sdkV2,
} from './clients.js';
import { CLIENT_VERSIONS, ensureClients } from './install.js';
import { type MatrixServer, startMatrixServer } from './project.js';
import { ERROR_CODES, type ErrorCode, stepsFor } from './steps.js';

/**
 * Issue 11: the clients people actually run, pinned (install.ts), on the Dockerfile's Node 24, against one
 * generated project (both transports, API keys, in-memory limits). Each client lists the tools, makes a
 * successful call and one failing call per error code, and we assert what it hands its caller — the text a
 * model reads and, where the client exposes it, the `_meta` envelope a program reads. What a client cannot
 * show, and why, is in README.md next to this file.
 */
const CLIENTS: readonly MatrixClient[] = [sdkV1, sdkV2, inspector, mcpRemote, aiSdk];
const RETRYABLE: Record<ErrorCode, boolean> = {
  INVALID_ARGUMENT: false,
  RATE_LIMITED: true,
  NOT_FOUND: false,
  TIMEOUT: true,
  INTERNAL: false,
  FORBIDDEN: false,
  BUDGET_EXHAUSTED: true,
};
const WRONG_KEY = `mcp_${'x'.repeat(43)}`;

type Run = { report: Report; unauthenticated?: Report };
const runs = new Map<string, Run>();
const cells = new Map<string, Map<string, 'pass' | 'FAIL' | 'n/a'>>();
const key = (client: MatrixClient, transport: string) => `${client.name} | ${transport}`;
let server: MatrixServer;

/** Runs `jobs` at most `limit` at a time: each client run is a few Node processes on a 2-core machine. */
async function pool(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
}

beforeAll(async () => {
  const started = Date.now();
  [server] = await Promise.all([startMatrixServer(CLIENTS.map((c) => c.name)), ensureClients()]);
  const ready = Date.now();
  const jobs = CLIENTS.flatMap((client) =>
    client.transports.map((transport) => async () => {
      const stdio = transport === 'stdio';
      const steps = stepsFor({ stdio, freshServerPerCall: stdio && client === inspector });
      const run: Run = {
        report: await client.run(stdio ? server.stdio() : server.httpFor(client.name), steps),
      };
      if (!stdio) {
        const list = steps.filter((step) => step.list);
        run.unauthenticated = await client.run(server.httpFor(client.name, WRONG_KEY), list);
      }
      runs.set(key(client, transport), run);
    }),
  );
  await pool(jobs, 3);
  const seconds = (from: number, to: number) => Math.round((to - from) / 1000);
  console.log(
    `client matrix: project and clients ready in ${seconds(started, ready)} s, ${jobs.length} runs in ${seconds(ready, Date.now())} s`,
  );
}, 600_000);

afterAll(async () => {
  await server?.stop();
  const columns = ['list', 'ok', ...ERROR_CODES, 'UNAUTHENTICATED', 'unknown tool'];
  const rows = [...cells].map(
    ([row, byColumn]) => `| ${row} | ${columns.map((c) => byColumn.get(c) ?? 'n/a').join(' | ')} |`,
  );
  console.log(
    [
      `clients: ${Object.entries(CLIENT_VERSIONS)
        .map(([n, v]) => `${n}@${v}`)
        .join(', ')}`,
      `| client | transport | ${columns.join(' | ')} |`,
      `| --- | --- |${columns.map(() => ' --- |').join('')}`,
      ...rows,
    ].join('\n'),
  );
});

/** Records a cell as FAIL until its assertions ran to the end. */
async function cell(
  client: MatrixClient,
  transport: string,
  column: string,
  check: () => void | Promise<void>,
) {
  const row = `${client.name} | ${transport}`;
  const byColumn = cells.get(row) ?? new Map();
  cells.set(row, byColumn);
  byColumn.set(column, 'FAIL');
  await check();
  byColumn.set(column, 'pass');
}

function seen(client: MatrixClient, transport: string, step: string): Seen {
  const run = runs.get(key(client, transport));
  const report = run?.report;
  if (report?.connect) throw new Error(`${client.name} did not connect: ${report.connect.thrown.message}`);
  const outcome = report?.outcomes?.[step];
  if (!outcome)
    throw new Error(`${client.name} over ${transport} has no outcome for ${step}: ${JSON.stringify(report)}`);
  return client.see(outcome);
}

/** The error, as an agent holding only the text gets it, and as a program reading `_meta` gets it. */
function expectEnvelope(view: Seen, code: ErrorCode) {
  expect(view.kind, JSON.stringify(view)).toBe('result');
  expect(view.isError).toBe(true);
  // No structuredContent on an error: the v1 client and the Inspector validate it against the output schema.
  expect(view.structured).toBeUndefined();
  const cut = view.text.lastIndexOf('\n');
  const headline = view.text.slice(0, cut);
  const envelope = JSON.parse(view.text.slice(cut + 1)) as Record<string, unknown>;
  expect(headline.startsWith(`${code}: `), headline).toBe(true);
  expect(envelope).toMatchObject({ error: code, retryable: RETRYABLE[code], requestId: expect.any(String) });
  if (code === 'RATE_LIMITED' || code === 'BUDGET_EXHAUSTED') {
    expect(envelope.retryAfter).toBeGreaterThan(0);
    expect(headline).toContain(`Retry after ${envelope.retryAfter} s.`);
  }
  expect(view.meta?.['prod-mcp/error']).toEqual(envelope);
  return envelope;
}

describe.each(CLIENTS.flatMap((client) => client.transports.map((transport) => ({ client, transport }))))(
  '$client.name over $transport',
  ({ client, transport }) => {
    const stdio = transport === 'stdio';
    const freshServerPerCall = stdio && client === inspector;

    test('lists the tools', () =>
      cell(client, transport, 'list', () => {
        const view = seen(client, transport, 'list');
        expect(view.tools).toEqual(
          expect.arrayContaining(['convert_temperature_v2', 'npm_package_v1', 'broken_v1', 'whoami_v1']),
        );
        // Lists are filtered per caller: this key lacks reports:read, so report_v1 is not offered to it.
        // Over stdio the launching process is trusted with every scope.
        if (stdio) expect(view.tools).toContain('report_v1');
        else expect(view.tools).not.toContain('report_v1');
      }));

    test('a successful call hands over the data', () =>
      cell(client, transport, 'ok', () => {
        const view = seen(client, transport, 'ok');
        expect(view.isError, view.text).toBe(false);
        expect(JSON.parse(view.text)).toEqual({ value: 212, unit: 'fahrenheit' });
      }));

    const codes = ERROR_CODES.filter(
      (code) => !(stdio && code === 'FORBIDDEN') && !(freshServerPerCall && code === 'BUDGET_EXHAUSTED'),
    );
    // These two only call tools they were shown, and a caller without the scope is not shown report_v1.
    const callsListedOnly = client === inspector || client === aiSdk;
    test.each(codes)('%s reaches the agent with its envelope', (code) =>
      cell(client, transport, code, () => {
        if (code === 'FORBIDDEN' && callsListedOnly) {
          const view = seen(client, transport, code);
          expect(view.kind).toBe('thrown');
          expect(view.text).toMatch(/report_v1/);
          return;
        }
        const envelope = expectEnvelope(seen(client, transport, code), code);
        if (code === 'INTERNAL') expect(JSON.stringify(envelope)).not.toContain('hunter2');
        if (code === 'FORBIDDEN') expect(envelope.message).toContain('reports:read');
      }),
    );

    if (client !== aiSdk) {
      // The AI SDK offers the model only listed tools, so a model cannot ask it for an unknown one.
      test('an unknown tool name is refused with the names to use', () =>
        cell(client, transport, 'unknown tool', () => {
          const view = seen(client, transport, 'unknown');
          expect(view.kind).toBe('thrown');
          if (client === inspector) {
            // The Inspector checks the name against tools/list itself and never sends the call.
            expect(view.text).toMatch(/tool_not_found: Tool 'convert_temperature' not found/);
          } else {
            expect(view.text).toContain(
              'Unknown tool "convert_temperature". Did you mean convert_temperature_v2?',
            );
          }
        }));
    }

    if (!stdio) {
      test('a wrong API key: the client reports that the key is not valid (no OAuth detour)', () =>
        cell(client, transport, 'UNAUTHENTICATED', () => {
          const report = runs.get(key(client, transport))?.unauthenticated;
          const list = report?.outcomes?.list;
          const said = [
            report?.connect?.thrown.message,
            list && 'thrown' in list ? list.thrown.message : undefined,
            report?.stderr,
          ].join('\n');
          expect(said).toContain('The API key is not valid.');
          expect(said).not.toMatch(/Registration|authorization server|\/register/i);
        }));
    }
  },
);
