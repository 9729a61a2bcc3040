import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPackageV1 } from '../../src/tools/npm-package/v1.js';
import { callTool } from '../helpers/call-tool.js';
import { envelopeOf } from '../helpers/results.js';

/** A stand-in for the npm registry on loopback: the tool's real HTTP client, a registry we control. */
let registry: Server;
let registryUrl: string;
let aborted = 0;

beforeAll(async () => {
  registry = createServer((req, res) => {
    if (req.url === '/zod/latest') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          name: 'zod',
          version: '4.6.7',
          description: 'TypeScript-first schemas',
          license: 'MIT',
        }),
      );
    }
    if (req.url === '/@scope%2fslow/latest') {
      res.on('close', () => {
        if (!res.writableEnded) aborted += 1;
      });
      return; // never answers
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

describe('npm_package', () => {
  it('returns the latest version of a package', async () => {
    const result = await callTool(npmPackageV1, { name: 'zod' }, { NPM_REGISTRY_URL: registryUrl });
    expect(result.structuredContent).toEqual({
      name: 'zod',
      version: '4.6.7',
      description: 'TypeScript-first schemas',
      license: 'MIT',
    });
  });

  it('maps registry answers to envelopes: 404 is final, 5xx is worth retrying', async () => {
    const missing = await callTool(
      npmPackageV1,
      { name: 'no-such-package' },
      { NPM_REGISTRY_URL: registryUrl },
    );
    expect(envelopeOf(missing)).toMatchObject({ error: 'NOT_FOUND', retryable: false });
    const broken = await callTool(npmPackageV1, { name: 'broken' }, { NPM_REGISTRY_URL: registryUrl });
    expect(envelopeOf(broken)).toMatchObject({ error: 'UPSTREAM_UNAVAILABLE', retryable: true });
  });

  it('logs why the registry was unreachable (the refused connection), not only that it was', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');
    const result = await callTool(
      npmPackageV1,
      { name: 'zod' },
      { NPM_REGISTRY_URL: `http://127.0.0.1:${port}` },
    );
    expect(envelopeOf(result)).toMatchObject({ error: 'UPSTREAM_UNAVAILABLE', retryable: true });
    const line = result.logs.find((entry) => entry.msg === 'tool call');
    expect(line?.cause).toEqual({
      code: 'ECONNREFUSED',
      message: expect.stringContaining(`127.0.0.1:${port}`),
    });
  });

  it('stops the upstream request when its deadline passes', async () => {
    const env = { NPM_REGISTRY_URL: registryUrl, EXTERNAL_TOOL_TIMEOUT_MS: '200' };
    const result = await callTool(npmPackageV1, { name: '@scope/slow' }, env);
    expect(envelopeOf(result)).toMatchObject({ error: 'TIMEOUT', retryable: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(aborted).toBe(1);
  });

  it('refuses names that are not npm package names before any request', async () => {
    const result = await callTool(
      npmPackageV1,
      { name: '../../etc/passwd' },
      { NPM_REGISTRY_URL: registryUrl },
    );
    expect(envelopeOf(result)).toMatchObject({ error: 'INVALID_ARGUMENT' });
  });
});
