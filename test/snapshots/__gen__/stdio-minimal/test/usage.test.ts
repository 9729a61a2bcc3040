import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestContext } from '../src/core/context.js';
import type { Principal } from '../src/core/principal.js';
import { defineTool } from '../src/core/tool.js';
import { convertTemperatureV1 } from '../src/tools/convert-temperature/v1.js';
import { parseGroupKeys, UsageReport } from '../src/usage-report.js';
import { callTool } from './helpers/call-tool.js';

/** A tool that declares a cost, as one calling a paid API would. */
const paidV1 = defineTool({
  name: 'paid',
  version: 1,
  title: 'Paid',
  description: 'Costs 5 units per call.',
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  cost: 5,
  handler: async () => ({ ok: true }),
});

const principal = (id: string): Principal => ({ id, scopes: [], source: 'api-key' });

/** Real "tool call" log lines, written by the real tool runner as `principal` during agent run `runId`. */
async function logLines(id: string, runId: string, tool: Parameters<typeof callTool>[0], args: unknown) {
  const requestId = randomUUID();
  const context = { requestId, correlationId: requestId, runId, principal: principal(id) };
  const result = await requestContext.run(context, () => callTool(tool, args));
  return result.logs.map((line) => JSON.stringify(line));
}

async function sampleLog(): Promise<string[]> {
  return [
    'npm banner: not JSON',
    ...(await logLines('alice', 'run-1', convertTemperatureV1, { celsius: 20 })),
    ...(await logLines('alice', 'run-1', convertTemperatureV1, { celsius: 'warm' })),
    ...(await logLines('alice', 'run-1', paidV1, {})),
    ...(await logLines('bob', 'run-2', paidV1, {})),
    ...(await logLines('bob', 'run-2', paidV1, {})),
    JSON.stringify({ level: 'info', msg: 'ready' }),
  ];
}

describe('the usage report', () => {
  it('adds up calls, errors and cost per principal and tool, most expensive first', async () => {
    const report = new UsageReport(parseGroupKeys('principal,tool'));
    const log = await sampleLog();
    for (const line of log) report.add(line);
    const rows = report.rows().map(({ p50Ms, p95Ms, ...row }) => row);
    expect(rows).toEqual([
      { principal: 'bob', tool: 'paid_v1', calls: 2, errors: 0, cost: 10 },
      { principal: 'alice', tool: 'paid_v1', calls: 1, errors: 0, cost: 5 },
      // The invalid call is counted and failed, but costs nothing: its handler never ran.
      { principal: 'alice', tool: 'convert_temperature_v1', calls: 2, errors: 1, cost: 1 },
    ]);
    // Everything else the runner logged, the banner and the startup line.
    expect(report.skipped).toBe(log.filter((line) => !line.includes('"msg":"tool call"')).length);
  });

  it('groups by agent run', async () => {
    const report = new UsageReport(['run']);
    for (const line of await sampleLog()) report.add(line);
    expect(report.rows().map(({ run, calls, cost }) => ({ run, calls, cost }))).toEqual([
      { run: 'run-2', calls: 2, cost: 10 },
      { run: 'run-1', calls: 3, cost: 6 },
    ]);
  });

  it('prints caller-chosen values escaped: no terminal escapes, no forged rows, no reordered text', () => {
    const report = new UsageReport(['principal', 'run']);
    const line = (principal: string, runId: string) =>
      JSON.stringify({ msg: 'tool call', tool: 'paid_v1', principal, runId, outcome: 'ok', cost: 1 });
    report.add(line('mallory\u001b[2J\u001b[1A', 'run\nadmin  999999  0'));
    report.add(line('eve\u202egnp.exe', 'r\u0007'));
    const table = report.table();
    for (const char of ['\u001b', '\u0007', '\u202e']) expect(table).not.toContain(char);
    expect(table.split('\n')).toHaveLength(2 + 2 + 2);
    expect(table).toContain('mallory\\x1b[2J\\x1b[1A');
    expect(table).toContain('run\\x0aadmin  999999  0');
    expect(table).toContain('eve\\u202egnp.exe');
  });

  it('rejects an unknown grouping, naming the accepted ones', () => {
    expect(() => parseGroupKeys('principal,model')).toThrow(
      /expected a comma-separated list of principal, tool, run/,
    );
  });
});

/** `npm run usage` is `node dist/usage.js` (dist is built by the test setup). */
function runUsage(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['dist/usage.js', ...args], (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe('npm run usage', () => {
  it('prints a table from logs on stdin', async () => {
    const log = await sampleLog();
    const { code, stdout, stderr } = await runUsage(['--by', 'principal'], log.join('\n'));
    expect(code).toBe(0);
    const [header, first, second] = stdout.split('\n');
    expect(header?.split(/\s+/)).toEqual(['principal', 'calls', 'errors', 'cost', 'p50Ms', 'p95Ms']);
    expect(first?.split(/\s+/).slice(0, 4)).toEqual(['bob', '2', '0', '10']);
    expect(second?.split(/\s+/).slice(0, 4)).toEqual(['alice', '3', '1', '6']);
    expect(stdout).toContain('5 calls, total cost 16');
    const skipped = log.filter((line) => !line.includes('"msg":"tool call"')).length;
    expect(stderr).toContain(`skipped ${skipped} lines that are not tool-call log lines`);
  });

  it('prints JSON with --json', async () => {
    const { stdout } = await runUsage(['--by', 'tool', '--json'], (await sampleLog()).join('\n'));
    expect(JSON.parse(stdout)).toMatchObject([
      { tool: 'paid_v1', calls: 3, cost: 15 },
      { tool: 'convert_temperature_v1', calls: 2, errors: 1, cost: 1 },
    ]);
  });

  it('exits 2 with the reason on a bad option', async () => {
    const { code, stderr } = await runUsage(['--by', 'model'], '');
    expect(code).toBe(2);
    expect(stderr).toContain('--by model: expected a comma-separated list of principal, tool, run');
  });
});
