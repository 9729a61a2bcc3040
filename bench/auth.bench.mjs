// What authentication costs per tool call: one generated project per auth mode (otherwise identical: --transport
// http --rate-limit none --no-docker) against --auth none, in the same run. Variants:
//   none               no auth (baseline)
//   api-key            20 keys configured, the one presented is the last (every digest is compared anyway)
//   jwt (JWKS RS256)   RS256 access token verified against a JWKS on loopback (fetched once, then cached)
//   jwt (HS256)        HS256 token, shared secret
//   gateway (secret)   shared-secret header + identity header, trusted-proxy check on
//   gateway (ES256)    Cloud IAP-style ES256 assertion verified against a JWKS on loopback
// (1) In process: each mode's real authenticator (dist/features/auth-*/index.js of the built project), called
//     directly with valid credentials: the cost of auth itself in microseconds per call, for a repeated
//     credential (the common case) and for tokens seen for the first time (full signature check).
// (2) Over HTTP: each server is pinned to CPU 0; autocannon (50 connections, the 2026-07-28 tools/call of a trivial tool) runs
// here on the other core; variants are interleaved in rounds so drift hits them all alike, and the median
// requests/s per variant is reported with its ratio to `none`. Every call must succeed (so auth really let it
// through) and a call without credentials must be refused (so auth really was on).
import { spawn } from 'node:child_process';
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { buildProject, freePort, track } from './server/harness.mjs';

const ROUNDS = 3;
const SECONDS = 6;
const CONNECTIONS = 50;
const TOOL = 'convert_temperature_v1';

/** Renders and builds one project (see buildProject for where its node_modules comes from). */
function project(auth) {
  return buildProject(auth, ['--transport', 'http', '--auth', auth, '--rate-limit', 'none', '--no-docker']);
}

async function boot(dir, env) {
  const port = await freePort();
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];
  const [command, ...args] = [...pin, process.execPath, 'dist/main.js'];
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  track(child);
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return port;
    await sleep(100);
  }
  throw new Error(`server in ${dir} did not become healthy`);
}

// Tokens and keys, from node:crypto: an implementation independent of the server's (jose).
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(payload, alg, key, kid) {
  // at+jwt: an RFC 9068 access token, the only type a JWKS-mode server accepts by default.
  const input = `${b64url({ alg, typ: 'at+jwt', ...(kid && { kid }) })}.${b64url(payload)}`;
  const signature =
    alg === 'HS256'
      ? createHmac('sha256', key).update(input).digest()
      : sign('sha256', Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}
function keyPair(type, kid, alg) {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}
async function jwksServer(keys) {
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })),
  );
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${server.address().port}/jwks.json`;
}

const exp = Math.floor(Date.now() / 1000) + 3600;
const rsa = keyPair('rsa', 'idp-1', 'RS256');
const ec = keyPair('ec', 'iap-1', 'ES256');
const jwksUrl = await jwksServer([rsa.jwk, ec.jwk]);
const apiKeys = Array.from({ length: 20 }, () => `mcp_${randomBytes(32).toString('base64url')}`);
const entries = apiKeys.map((key, i) => `k${i}:${createHash('sha256').update(key).digest('hex')}`).join(',');
const hsSecret = randomBytes(32).toString('base64url');
const gatewaySecret = randomBytes(32).toString('base64url');
const claims = { sub: 'bench', iss: 'https://idp.bench/', aud: 'https://mcp.bench/mcp', exp };
const jwtEnv = { JWT_ISSUER: claims.iss, JWT_AUDIENCE: claims.aud };
const iap = { iss: 'https://cloud.google.com/iap', aud: '/projects/1/global/backendServices/2' };

const dirs = Object.fromEntries(['none', 'api-key', 'jwt', 'gateway'].map((auth) => [auth, project(auth)]));
const variants = {
  none: { dir: dirs.none, env: {}, auth: {} },
  'api-key': {
    dir: dirs['api-key'],
    env: { API_KEYS: entries },
    auth: { authorization: `Bearer ${apiKeys.at(-1)}` },
  },
  'jwt (JWKS RS256)': {
    dir: dirs.jwt,
    env: { ...jwtEnv, JWT_JWKS_URL: jwksUrl },
    auth: { authorization: `Bearer ${jwt(claims, 'RS256', rsa.privateKey, 'idp-1')}` },
    fresh: (i) => ({
      authorization: `Bearer ${jwt({ ...claims, jti: `t${i}` }, 'RS256', rsa.privateKey, 'idp-1')}`,
    }),
  },
  'jwt (HS256)': {
    dir: dirs.jwt,
    env: { ...jwtEnv, JWT_SECRET: hsSecret },
    auth: { authorization: `Bearer ${jwt(claims, 'HS256', hsSecret)}` },
    fresh: (i) => ({ authorization: `Bearer ${jwt({ ...claims, jti: `t${i}` }, 'HS256', hsSecret)}` }),
  },
  'gateway (secret)': {
    dir: dirs.gateway,
    env: { GATEWAY_SECRET: gatewaySecret, GATEWAY_TRUSTED_PROXIES: '127.0.0.1' },
    auth: { 'x-gateway-secret': gatewaySecret, 'x-forwarded-user': 'bench' },
  },
  'gateway (ES256)': {
    dir: dirs.gateway,
    env: { GATEWAY_JWKS_URL: jwksUrl, GATEWAY_ISSUER: iap.iss, GATEWAY_AUDIENCE: iap.aud },
    auth: { 'x-gateway-assertion': jwt({ sub: 'bench', ...iap, exp }, 'ES256', ec.privateKey, 'iap-1') },
    fresh: (i) => ({
      'x-gateway-assertion': jwt(
        { sub: 'bench', ...iap, exp, jti: `t${i}` },
        'ES256',
        ec.privateKey,
        'iap-1',
      ),
    }),
  },
};

const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: {
    name: TOOL,
    arguments: { celsius: 21 },
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {},
    },
  },
});
const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': TOOL,
};

async function load(port, auth, seconds) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/mcp`,
    method: 'POST',
    headers: { ...mcpHeaders, ...auth },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// (1) In process. The module's own env schema parses the variant's env, exactly as the server's config does.
// "repeat": one credential again and again (an agent's burst; tokens hit the verified-token cache);
// "first sight": a distinct token per call (every call pays the full signature check).
const IN_PROCESS_CALLS = 20_000;
const DISTINCT_TOKENS = 1_000;
const quiet = { info() {}, warn() {}, error() {}, debug() {}, child: () => quiet };
const requestWith = (auth) => {
  const headers = Object.fromEntries(Object.entries(auth).map(([k, v]) => [k.toLowerCase(), v]));
  const headersDistinct = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  return { url: '/mcp', headers, headersDistinct, socket: { remoteAddress: '127.0.0.1' } };
};
async function timePerCall(authenticator, requests, calls) {
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const outcome = await authenticator.authenticate(requests[i % requests.length]);
    if (!outcome.ok) throw new Error(`valid credentials refused in process: ${outcome.reason}`);
  }
  return ((performance.now() - started) * 1000) / calls;
}
const inProcess = [];
for (const [name, variant] of Object.entries(variants)) {
  if (name === 'none') continue;
  const id = `auth-${variant.dir.split('/').at(-1)}`;
  const mod = await import(pathToFileURL(join(variant.dir, 'dist/features', id, 'index.js')).href);
  const feature = Object.values(mod).find((value) => value?.id === id);
  const app = { logger: quiet, events: new EventEmitter(), tools: [] };
  const runtime = await feature.setup(feature.env.parse(variant.env), app);
  const repeat = [requestWith(variant.auth)];
  await timePerCall(runtime.authenticator, repeat, 1_000); // warm-up, and the one JWKS fetch
  const row = { name, repeat: [], fresh: [] };
  const distinct =
    variant.fresh && Array.from({ length: DISTINCT_TOKENS }, (_, i) => requestWith(variant.fresh(i)));
  for (let round = 0; round < 3; round++) {
    row.repeat.push(await timePerCall(runtime.authenticator, repeat, IN_PROCESS_CALLS));
    // A new feature instance per round: its verified-token cache starts empty, so every token is new to it.
    const cold = distinct && (await feature.setup(feature.env.parse(variant.env), app)).authenticator;
    if (cold) row.fresh.push(await timePerCall(cold, distinct, DISTINCT_TOKENS));
  }
  inProcess.push(row);
}
console.log('authenticate() in process, valid credentials, median of 3 rounds (µs per call)');
console.log('variant                 repeat  first sight');
for (const row of inProcess) {
  const fresh = row.fresh.length > 0 ? median(row.fresh).toFixed(1) : '-';
  console.log(`${row.name.padEnd(20)} ${median(row.repeat).toFixed(1).padStart(9)} ${fresh.padStart(12)}`);
}

for (const variant of Object.values(variants)) {
  variant.port = await boot(variant.dir, variant.env);
  const anonymous = await fetch(`http://127.0.0.1:${variant.port}/mcp`, {
    method: 'POST',
    headers: mcpHeaders,
    body,
  });
  const expected = Object.keys(variant.auth).length === 0 ? 200 : 401;
  if (anonymous.status !== expected)
    throw new Error(`${variant.dir}: a call without credentials got ${anonymous.status}`);
  await load(variant.port, variant.auth, 2); // warm-up: JIT, connection pools, the JWKS fetch
}
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, variant] of Object.entries(variants))
    samples[name].push(await load(variant.port, variant.auth, SECONDS));
}

const base = median(samples.none.map((s) => s.rps));
console.log(
  `tool-call throughput by auth mode, ${CONNECTIONS} connections, server pinned to one core, ${ROUNDS} x ${SECONDS} s rounds`,
);
console.log('variant                req/s   p50 ms  p99 ms   ratio');
for (const [name, list] of Object.entries(samples)) {
  const rps = median(list.map((s) => s.rps));
  const p50 = median(list.map((s) => s.p50));
  const p99 = median(list.map((s) => s.p99));
  const ratio = name === 'none' ? '(baseline)' : `${(rps / base).toFixed(2)}x`;
  console.log(
    `${name.padEnd(20)} ${rps.toFixed(0).padStart(7)} ${String(p50).padStart(8)} ${String(p99).padStart(7)}   ${ratio}`,
  );
}
process.exit(0);
