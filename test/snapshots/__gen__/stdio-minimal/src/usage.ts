/**
 * Usage and cost per principal, tool or agent run, from the server's JSON logs:
 *
 *   npm run usage -- < server.log                  # by principal and tool
 *   npm run usage -- --by run < server.log         # which agent runs cost what
 *   docker logs my-mcp 2>&1 | node dist/usage.js --by principal --json
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseGroupKeys, UsageReport } from './usage-report.js';

try {
  const { values } = parseArgs({
    options: { by: { type: 'string', default: 'principal,tool' }, json: { type: 'boolean', default: false } },
  });
  const report = new UsageReport(parseGroupKeys(values.by));
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    report.add(line);
  }
  process.stdout.write(values.json ? `${JSON.stringify(report.rows(), null, 2)}\n` : report.table());
  if (report.skipped > 0)
    process.stderr.write(`skipped ${report.skipped} lines that are not tool-call log lines\n`);
} catch (error) {
  process.stderr.write(`usage: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
