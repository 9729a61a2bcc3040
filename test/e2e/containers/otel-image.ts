import { expect } from 'vitest';
import { jwt, nowSeconds } from '../../auth/tokens.js';
import type { startOtlpCollector } from '../otlp.js';
import { freePort } from '../server.js';
import { expectCleanStop, expectServing, HARDENED } from './http-image.js';
import { type Image, podman, runContainer, waitFor } from './podman.js';

/**
 * The jwt + otel image (issue 16): CMD preloads OpenTelemetry with `--import`, so a tool call signed with a JWT
 * reaches `collector` as spans, the inbound HTTP request's among them (only a preload instruments node:http).
 * Serves, is healthy and drains on stop like every HTTP image; the container is left for the caller to remove.
 */
export async function expectOtelPreload(
  image: Image,
  name: string,
  collector: Awaited<ReturnType<typeof startOtlpCollector>>,
) {
  const secret = 'e2e-container-secret-0123456789abcdef';
  const cmd = await podman(['inspect', '--format', '{{json .Config.Cmd}}', image.tag]);
  expect(JSON.parse(cmd.stdout)).toEqual([
    'node',
    '--import',
    './dist/features/otel/register.js',
    'dist/main.js',
  ]);
  // Host networking so the container reaches the collector on loopback; the server listens on loopback too.
  const port = await freePort();
  const url = new URL(`http://127.0.0.1:${port}/`);
  const audience = new URL('/mcp', url).href;
  const container = await runContainer(image.tag, name, [
    ...HARDENED,
    '--network',
    'host',
    ...['-e', 'HOST=127.0.0.1', '-e', `PORT=${port}`],
    ...[
      '-e',
      `JWT_SECRET=${secret}`,
      '-e',
      'JWT_ISSUER=https://issuer.example',
      '-e',
      `JWT_AUDIENCE=${audience}`,
    ],
    ...['-e', `OTEL_EXPORTER_OTLP_ENDPOINT=${collector.endpoint}`],
  ]);
  const token = jwt(
    { sub: 'user-1', iss: 'https://issuer.example', aud: audience, exp: nowSeconds() + 600 },
    { kind: 'hs256', secret },
  );
  await expectServing(container, url, { authorization: `Bearer ${token}` });
  await waitFor(
    'a span for the tool call',
    async () => collector.spans.some((span) => span.name === 'tools/call convert_temperature_v2'),
    async () => `spans: ${collector.spans.map((s) => s.name).join(', ')}\n${await container.logs()}`,
  );
  expect(
    collector.spans.find((s) => s.name === 'tools/call convert_temperature_v2')?.attributes,
  ).toMatchObject({
    'app.principal.id': 'user-1',
  });
  // Only a preload instruments node:http (it must patch it before the server imports it): the inbound
  // request's own span proves `--import` in CMD ran first.
  const http = collector.spans.find((s) => s.kind === 2 && s.name === 'POST');
  expect(http?.attributes['url.path'] ?? http?.attributes['http.target']).toBe('/mcp');
  await expectCleanStop(container);
}
