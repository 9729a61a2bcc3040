import { stripVTControlCharacters } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiKeyCases, gatewayCases, type HostileCase, jwtCases } from '../auth/hostile.js';
import { addProbeTools } from '../auth/probe-tools.js';
import { callTool, rpcResult } from '../auth/raw.js';
import { apiKey, jwksServer, jwt, nowSeconds, signingKey } from '../auth/tokens.js';
import { bootServer, type PreparedProject, prepareProject, type RunningServer } from './harness.js';
import { envelopeOf } from './results.js';

/**
 * Issue 4's promise on the built artefact, per auth mode: the generated project passes its own checks (its
 * tests include the mode's hostile battery), and the built server, booted as in production and driven by an
 * independent client (node:crypto tokens, raw HTTP), refuses every hostile request with the right status and
 * envelope, logs each refusal with its reason and request ID, counts it in /metrics, never runs the tool for
 * it, and lets valid credentials reach the tool as the right principal.
 */
const METRICS_TOKEN = 'e2e-metrics-token-0123456789abcdef';
type Era = 'legacy' | 'modern';

const logLines = (server: RunningServer): Array<Record<string, unknown>> =>
  server
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

/** The log line the server wrote for a request (stdout may arrive a moment after the response). */
async function logLineFor(server: RunningServer, requestId: string, msg: string) {
  for (let attempt = 0; attempt < 40; attempt++) {
    const line = logLines(server).find((l) => l.msg === msg && l.requestId === requestId);
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/** Calls whoami_v1 and the scoped report_v1; a refused report is a refusal /metrics counts, so `refusals` does too. */
async function whoami(server: RunningServer, headers: Record<string, string>, era: Era, refusals: Refusals) {
  const client = new Client(
    { name: 'e2e', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', server.url), { requestInit: { headers } }),
  );
  const me = await client.callTool({ name: 'whoami_v1', arguments: {} });
  const report = await client.callTool({ name: 'report_v1', arguments: {} });
  await client.close();
  if (report.isError) refusals.count(403);
  return { me: me.structuredContent, report };
}

/** A project generated with this auth mode and /metrics on, put through its own typecheck, lint and tests. */
function generatedProject(auth: 'api-key' | 'jwt' | 'gateway', testFile: string) {
  const state: { project?: PreparedProject } = {};
  beforeAll(async () => {
    state.project = await prepareProject({ transport: 'http', auth, metrics: true });
  });
  afterAll(() => state.project?.remove());
  test('its own typecheck, lint and tests pass, the hostile battery included', async () => {
    const project = state.project as PreparedProject;
    await project.run('npm', ['run', 'typecheck']);
    await project.run('npm', ['run', 'lint']);
    const tests = await project.run('npm', ['test']);
    const output = stripVTControlCharacters(String(tests.all ?? ''));
    expect(output).toContain(`✓ ${testFile}`);
    expect(output).not.toMatch(/\d+ failed/);
  });
  return state;
}

/** Tracks what the battery sent, so /metrics can be checked against it. */
class Refusals {
  readonly byStatus = new Map<number, number>();
  count(status: number) {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }
  async expectCounted(server: RunningServer) {
    const res = await fetch(new URL('/metrics', server.url), {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await res.text();
    for (const [status, sent] of this.byStatus) {
      const counted = new RegExp(`^mcp_auth_rejections_total\\{status="${status}"\\} (\\d+)$`, 'm').exec(
        text,
      )?.[1];
      expect(Number(counted), `status ${status}`).toBe(sent);
    }
  }
}

/** Sends one hostile case and checks everything a refusal must be. */
async function expectRefused(server: RunningServer, c: HostileCase, refusals: Refusals) {
  const res = await callTool(new URL('/mcp', server.url), 'whoami_v1', c.headers(), c.query);
  refusals.count(res.status);
  expect(res.status).toBe(c.status);
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({ error: 'UNAUTHENTICATED', retryable: false, requestId: expect.any(String) });
  expect(res.body).not.toMatch(/\bat .*\.js:\d+/);
  const line = await logLineFor(server, body.requestId, 'auth rejected');
  expect(line?.reason).toBe(c.reason);
  expect(logLines(server).some((l) => l.msg === 'tool call' && l.requestId === body.requestId)).toBe(false);
}

/** The scoped tool, called without its scope: FORBIDDEN naming the scope, inside the tool result or as HTTP 403. */
async function expectScopeRefused(
  server: RunningServer,
  headers: Record<string, string>,
  refusals: Refusals,
) {
  const res = await callTool(new URL('/mcp', server.url), 'report_v1', headers);
  refusals.count(res.status === 200 ? 403 : res.status);
  const envelope = res.status === 200 ? envelopeOf(rpcResult(res.body) ?? {}) : JSON.parse(res.body);
  expect(envelope).toMatchObject({ error: 'FORBIDDEN', retryable: false });
  expect(JSON.stringify(envelope)).toContain('reports:read');
  const requestId = (envelope as { requestId: string }).requestId;
  expect((await logLineFor(server, requestId, 'auth rejected'))?.reason).toBe('insufficient scope');
  return res;
}

describe('--auth api-key', () => {
  const alice = apiKey('alice');
  const bob = apiKey('bob', ['reports:read']);
  const cases = apiKeyCases(alice, bob);
  const state = generatedProject('api-key', 'test/features/auth-api-key/api-key.test.ts');

  describe('built and booted', () => {
    let server: RunningServer;
    const refusals = new Refusals();
    beforeAll(async () => {
      const project = state.project as PreparedProject;
      await addProbeTools(project.dir);
      await project.run('npm', ['run', 'build']);
      server = await bootServer(project.dir, { API_KEYS: `${alice.entry},${bob.entry}`, METRICS_TOKEN });
    });
    afterAll(() => server?.stop());

    test.each(cases)('refuses: $name → $status', (c) => expectRefused(server, c, refusals));
    test('refuses a tool whose scope the key lacks', async () => {
      await expectScopeRefused(server, { authorization: `Bearer ${alice.key}` }, refusals);
    });
    test.each(['modern', 'legacy'] as const)(
      'valid keys reach the tool as their principal (%s)',
      async (era) => {
        expect((await whoami(server, { authorization: `Bearer ${alice.key}` }, era, refusals)).me).toEqual({
          id: 'alice',
          scopes: [],
          source: 'api-key',
        });
        const asBob = await whoami(server, { 'x-api-key': bob.key }, era, refusals);
        expect(asBob.me).toEqual({ id: 'bob', scopes: ['reports:read'], source: 'api-key' });
        expect(asBob.report.structuredContent).toEqual({ ok: true });
      },
    );
    test('every refusal was counted in /metrics', () => refusals.expectCounted(server));
  });
});

describe('--auth jwt', () => {
  const key = signingKey('idp-1');
  const iss = 'https://idp.e2e.test/';
  const aud = 'https://mcp.e2e.test/mcp';
  const cases = jwtCases(key, iss, aud);
  const state = generatedProject('jwt', 'test/features/auth-jwt/jwt.test.ts');
  const token = (claims: Record<string, unknown>) =>
    jwt({ sub: 'user-1', iss, aud, exp: nowSeconds() + 600, ...claims }, { kind: 'pair', key });

  describe('built and booted, with a JWKS on loopback', () => {
    let server: RunningServer;
    let jwks: Awaited<ReturnType<typeof jwksServer>>;
    const refusals = new Refusals();
    beforeAll(async () => {
      const project = state.project as PreparedProject;
      await addProbeTools(project.dir);
      await project.run('npm', ['run', 'build']);
      jwks = await jwksServer([key.jwk]);
      const env = { JWT_ISSUER: iss, JWT_AUDIENCE: aud, JWT_JWKS_URL: jwks.url, METRICS_TOKEN };
      server = await bootServer(project.dir, env);
    });
    afterAll(async () => {
      await server?.stop();
      await jwks?.stop();
    });

    test.each(cases)('refuses: $name → $status', (c) => expectRefused(server, c, refusals));
    test('refuses a tool whose scope the token lacks: 403 insufficient_scope naming it', async () => {
      const res = await expectScopeRefused(
        server,
        { authorization: `Bearer ${token({ scope: 'other' })}` },
        refusals,
      );
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toContain('error="insufficient_scope", scope="reports:read"');
    });
    test.each(['modern', 'legacy'] as const)(
      'valid tokens reach the tool as their principal (%s)',
      async (era) => {
        const { me, report } = await whoami(
          server,
          { authorization: `Bearer ${token({ scope: 'reports:read' })}` },
          era,
          refusals,
        );
        expect(me).toEqual({ id: 'user-1', scopes: ['reports:read'], source: 'jwt' });
        expect(report.structuredContent).toEqual({ ok: true });
      },
    );
    test('401s point to the RFC 9728 metadata, which names the authorization server and scopes', async () => {
      const res = await callTool(new URL('/mcp', server.url), 'whoami_v1', {});
      refusals.count(res.status);
      const metadataUrl = 'https://mcp.e2e.test/.well-known/oauth-protected-resource/mcp';
      expect(res.headers['www-authenticate']).toBe(`Bearer resource_metadata="${metadataUrl}"`);
      const metadata = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.url));
      expect(await metadata.json()).toEqual({
        resource: aud,
        authorization_servers: [iss],
        bearer_methods_supported: ['header'],
        scopes_supported: ['reports:read'],
      });
    });
    test('every refusal was counted in /metrics', () => refusals.expectCounted(server));
  });
});

describe('--auth gateway', () => {
  const g = {
    key: signingKey('iap-1', 'ES256'),
    iss: 'https://cloud.google.com/iap',
    aud: '/projects/1/global/backendServices/2',
    header: 'x-goog-iap-jwt-assertion',
    secret: 'e2e-gateway-secret-0123456789abcdef',
  };
  const cases = gatewayCases(g);
  const state = generatedProject('gateway', 'test/features/auth-gateway/gateway.test.ts');

  describe('built and booted three ways: signed assertion, shared secret, secret from trusted addresses', () => {
    const servers = {} as Record<'assertion' | 'secret' | 'restricted', RunningServer>;
    const refusals = { assertion: new Refusals(), secret: new Refusals(), restricted: new Refusals() };
    let jwks: Awaited<ReturnType<typeof jwksServer>>;
    beforeAll(async () => {
      const project = state.project as PreparedProject;
      await addProbeTools(project.dir);
      await project.run('npm', ['run', 'build']);
      jwks = await jwksServer([g.key.jwk]);
      const secret = { GATEWAY_SECRET: g.secret, GATEWAY_SCOPES_HEADER: 'x-forwarded-scopes', METRICS_TOKEN };
      servers.assertion = await bootServer(project.dir, {
        GATEWAY_JWKS_URL: jwks.url,
        GATEWAY_ISSUER: g.iss,
        GATEWAY_AUDIENCE: g.aud,
        GATEWAY_ASSERTION_HEADER: g.header,
        GATEWAY_IDENTITY_CLAIM: 'email',
        METRICS_TOKEN,
      });
      servers.secret = await bootServer(project.dir, secret);
      servers.restricted = await bootServer(project.dir, {
        ...secret,
        GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8',
      });
    });
    afterAll(async () => {
      await Promise.all(Object.values(servers).map((server) => server.stop()));
      await jwks?.stop();
    });

    test.each(cases)('refuses ($server): $name → $status', (c) =>
      expectRefused(servers[c.server], c, refusals[c.server]),
    );
    test('refuses a tool whose scope the gateway did not grant', async () => {
      await expectScopeRefused(
        servers.secret,
        { 'x-gateway-secret': g.secret, 'x-forwarded-user': 'bob' },
        refusals.secret,
      );
    });
    test.each(['modern', 'legacy'] as const)(
      'proven identities reach the tool as their principal (%s)',
      async (era) => {
        const signed = jwt(
          {
            email: 'alice@example.com',
            scope: 'reports:read',
            iss: g.iss,
            aud: g.aud,
            exp: nowSeconds() + 600,
          },
          { kind: 'pair', key: g.key },
        );
        const viaAssertion = await whoami(
          servers.assertion,
          { [g.header]: signed, 'x-forwarded-user': 'mallory' },
          era,
          refusals.assertion,
        );
        expect(viaAssertion.me).toEqual({
          id: 'alice@example.com',
          scopes: ['reports:read'],
          source: 'gateway',
        });
        const viaSecret = await whoami(
          servers.secret,
          { 'x-gateway-secret': g.secret, 'x-forwarded-user': 'bob' },
          era,
          refusals.secret,
        );
        expect(viaSecret.me).toEqual({ id: 'bob', scopes: [], source: 'gateway' });
      },
    );
    test('every refusal was counted in /metrics', async () => {
      for (const [name, server] of Object.entries(servers)) {
        await refusals[name as keyof typeof servers].expectCounted(server);
      }
    });
  });
});
