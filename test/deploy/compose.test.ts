import { describe, expect, test } from 'vitest';
import { hasHttp } from '../../src/core/answers.js';
import { args, ofKind, parseStages } from './dockerfile.js';
import { configDefaultMs, documentedEnv } from './facts.js';
import { type Case, matrix } from './matrix.js';
import { parseYaml } from './yaml.js';

interface Service {
  build?: string;
  image?: string;
  env_file?: string;
  environment?: Record<string, string>;
  ports?: string[];
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}

const composeCases = () => matrix().filter((c) => c.answers.docker && hasHttp(c.answers));
const compose = (c: Case) =>
  parseYaml<{ services: Record<string, Service> }>(
    c.tree.get('compose.yaml') ?? '',
    `${c.label}: compose.yaml`,
  );
const seconds = (span: string): number => Number(/^(\d+)s$/.exec(span)?.[1] ?? Number.NaN);

describe('compose.yaml', () => {
  test('renders with --docker for HTTP servers only (a stdio server has no one to serve)', () => {
    for (const c of matrix()) {
      expect(c.tree.has('compose.yaml'), c.label).toBe(c.answers.docker && hasHttp(c.answers));
      expect(c.tree.has('deploy/otel-collector.yaml'), c.label).toBe(
        c.tree.has('compose.yaml') && c.answers.otel,
      );
    }
    console.log(`compose: ${composeCases().length} cases`);
  });

  test('the server, plus Redis with --rate-limit redis, plus a collector with --otel', () => {
    for (const c of composeCases()) {
      const expected = [
        'server',
        ...(c.answers.rateLimit === 'redis' ? ['redis'] : []),
        ...(c.answers.otel ? ['otel-collector'] : []),
      ];
      expect(Object.keys(compose(c).services), c.label).toEqual(expected);
    }
  });

  test('the server builds the Dockerfile, reads .env, listens where the image expects, and drains on stop', () => {
    for (const c of composeCases()) {
      const server = compose(c).services.server as Service;
      const runtime = parseStages(c.tree.get('Dockerfile') ?? '').at(-1);
      const exposed = runtime ? ofKind(runtime, 'EXPOSE').flatMap(args) : [];
      expect(server.build, c.label).toBe('.');
      expect(server.env_file, c.label).toBe('.env');
      expect(server.environment?.HOST, c.label).toBe('0.0.0.0');
      expect(exposed, c.label).toEqual([server.environment?.PORT]);
      expect(server.ports, c.label).toEqual([
        `127.0.0.1:${server.environment?.PORT}:${server.environment?.PORT}`,
      ]);
      const shutdown =
        configDefaultMs(c.tree, 'SHUTDOWN_DELAY_MS') + configDefaultMs(c.tree, 'DRAIN_TIMEOUT_MS');
      expect(seconds(server.stop_grace_period ?? '') * 1000, c.label).toBeGreaterThan(shutdown);
      const known = documentedEnv(c.tree);
      const unknown = Object.keys(server.environment ?? {}).filter((name) => !known.has(name));
      expect(unknown, `${c.label}: not in .env.example`).toEqual([]);
    }
  });

  test('Redis: health-checked, and the server starts only once it is healthy', () => {
    const cases = composeCases().filter((c) => c.answers.rateLimit === 'redis');
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const { server, redis } = compose(c).services as Record<string, Service>;
      expect(redis?.image, c.label).toMatch(/^redis:\d+-alpine$/);
      expect(redis?.healthcheck?.test, c.label).toEqual(['CMD', 'redis-cli', 'ping']);
      expect(server?.depends_on?.redis, c.label).toEqual({ condition: 'service_healthy' });
      expect(new URL(server?.environment?.REDIS_URL ?? '').hostname, c.label).toBe('redis');
    }
  });

  test('OpenTelemetry: the server exports to the collector, whose config receives on that port', () => {
    const cases = composeCases().filter((c) => c.answers.otel);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const services = compose(c).services;
      const endpoint = new URL(services.server?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
      expect(Object.keys(services), c.label).toContain(endpoint.hostname);
      const collector = services[endpoint.hostname] as Service;
      const [source, target] = (collector.volumes?.[0] ?? '').split(':');
      expect(target, c.label).toBe('/etc/otelcol/config.yaml');
      const config = parseYaml<{
        receivers: { otlp: { protocols: { http: { endpoint: string } } } };
        service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
      }>(c.tree.get((source ?? '').replace(/^\.\//, '')) ?? '', `${c.label}: ${source}`);
      expect(config.receivers.otlp.protocols.http.endpoint.split(':').at(-1), c.label).toBe(endpoint.port);
      expect(config.service.pipelines.traces.receivers, c.label).toContain('otlp');
      expect(config.service.pipelines.traces.exporters.length, c.label).toBeGreaterThan(0);
    }
  });
});
