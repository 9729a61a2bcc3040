import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { baseEnv } from '../../src/config.js';
import { requestContext } from '../../src/core/context.js';
import { AppEventBus } from '../../src/core/events.js';
import { createLogger } from '../../src/core/logger.js';
import { Pipeline } from '../../src/core/pipeline.js';
import { MemoryTaskStore } from '../../src/core/task-store.js';
import { TASKS_EXTENSION, Tasks } from '../../src/core/tasks.js';
import { toolSpec } from '../../src/core/tool-operation.js';
import { npmReportV1 } from '../../src/tools/npm-report/v1.js';
import { callTool, toolCaller } from '../helpers/call-tool.js';
import { captureLogs } from '../helpers/logs.js';
import { envelopeOf } from '../helpers/results.js';

/** A stand-in for the npm registry on loopback; `hangs` never answers, and says when the tool gave up on it. */
let registry: Server;
let registryUrl: string;
let abandoned = 0;

beforeAll(async () => {
  registry = createServer((req, res) => {
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/zod/latest') return json({ name: 'zod', version: '4.6.7', license: 'MIT' });
    if (req.url === '/request/latest')
      return json({
        name: 'request',
        version: '2.88.2',
        license: 'Apache-2.0',
        deprecated: 'request has been deprecated',
      });
    if (req.url === '/hangs/latest') {
      res.on('close', () => {
        if (!res.writableEnded) abandoned += 1;
      });
      return;
    }
    if (req.url === '/broken/latest') return res.writeHead(502).end();
    res.writeHead(404).end();
  });
  registry.listen(0, '127.0.0.1');
  await once(registry, 'listening');
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
});

afterAll(() => {
  registry.closeAllConnections();
  registry.close();
});

describe('npm_report', () => {
  it('reports each package in order, a missing one as a line of the report, with progress per package', async () => {
    const { call } = toolCaller({ env: { NPM_REGISTRY_URL: registryUrl } });
    const progress: string[] = [];
    const result = await call(
      npmReportV1,
      { names: ['zod', 'no-such-package', 'request'] },
      { progress: async (_done, _total, message) => void progress.push(String(message)) },
    );
    expect(result.structuredContent).toEqual({
      packages: [
        { name: 'zod', found: true, version: '4.6.7', license: 'MIT' },
        { name: 'no-such-package', found: false },
        {
          name: 'request',
          found: true,
          version: '2.88.2',
          license: 'Apache-2.0',
          deprecated: 'request has been deprecated',
        },
      ],
    });
    expect(progress).toEqual([
      'looking up zod (1 of 3)',
      'looking up no-such-package (2 of 3)',
      'looking up request (3 of 3)',
      'looked up 3 packages',
    ]);
  });

  it('fails the job, retryable, when the registry fails', async () => {
    const result = await callTool(
      npmReportV1,
      { names: ['zod', 'broken'] },
      { NPM_REGISTRY_URL: registryUrl },
    );
    expect(envelopeOf(result)).toMatchObject({ error: 'UPSTREAM_UNAVAILABLE', retryable: true });
  });

  it('runs as a task: polled with its progress, and a cancel stops the registry request in flight', async () => {
    const config = baseEnv.parse({ NPM_REGISTRY_URL: registryUrl });
    const logger = createLogger({ name: 'test', level: 'silent', destination: captureLogs().stream });
    const pipeline = new Pipeline({ config, logger, events: new AppEventBus(), middleware: [] });
    const spec = toolSpec(npmReportV1, config, logger);
    const tasks = new Tasks(new MemoryTaskStore(), pipeline, () => spec);
    const info = () => ({
      signal: new AbortController().signal,
      meta: { 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } } },
    });
    const principal = { id: 'alice', scopes: [], source: 'api-key' as const };
    const as = <T>(work: () => Promise<T>) =>
      requestContext.run({ requestId: 'r', correlationId: 'c', principal }, work);

    const answer = await as(() => tasks.call(spec, { names: ['zod', 'hangs'] }, info()));
    expect(answer).toMatchObject({ task: { resultType: 'task', status: 'working' } });
    const { taskId } = (answer as { task: { taskId: string } }).task;
    await vi.waitFor(async () =>
      expect(await as(() => tasks.get(taskId, info()))).toMatchObject({
        status: 'working',
        statusMessage: 'looking up hangs (2 of 2)',
      }),
    );
    await as(() => tasks.cancel(taskId, info()));
    await vi.waitFor(() => expect(abandoned).toBe(1));
    expect(await as(() => tasks.get(taskId, info()))).toMatchObject({ status: 'cancelled' });
  });
});
