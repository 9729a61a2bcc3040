import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseLock } from '../../src/core/lock.js';
import { generatorCommand } from '../../src/core/version.js';
import { KEY, startCli } from './pty.js';
import { cli, ensureBuilt, scratch } from './run-cli.js';

beforeAll(ensureBuilt);

/** Every file of a generated project except the git folder, as { path: text }. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? '', entry.name).slice(dir.length + 1);
    out[path] = readFileSync(join(dir, path), 'utf8');
  }
  return out;
}

describe('interactive (a real pseudo-terminal)', () => {
  test('one prompt per option; the printed one-line command reproduces the same project byte for byte', async () => {
    const cwd = scratch();
    const session = startCli(cwd, ['--no-install', '--no-git']);
    await session.expect('Where should the project go?');
    session.send(`pty-server${KEY.enter}`);
    await session.expect('Package name');
    session.send(KEY.enter); // accept the default: the directory's name
    await session.expect('Transport');
    session.send(KEY.down + KEY.enter); // both → http
    await session.expect('Authentication');
    session.send(KEY.down + KEY.enter); // api-key → jwt
    await session.expect('Rate limits and call budgets');
    session.send(KEY.down + KEY.enter); // memory → redis
    await session.expect('Dockerfile and compose file?');
    session.send(KEY.enter); // yes (default)
    await session.expect('Kubernetes manifests?');
    session.send(KEY.left + KEY.enter); // No → Yes
    await session.expect('systemd unit?');
    session.send(KEY.enter); // no (default)
    await session.expect('OpenTelemetry traces?');
    session.send(KEY.left + KEY.enter);
    await session.expect('Prometheus /metrics?');
    session.send(KEY.enter);
    await session.expect('To do this again without questions:');
    expect(await session.exit).toBe(0);

    const dir = join(cwd, 'pty-server');
    const lock = parseLock(readFileSync(join(dir, 'prod-mcp.lock.json'), 'utf8'));
    expect(lock.answers).toEqual({
      name: 'pty-server',
      transport: 'http',
      auth: 'jwt',
      rateLimit: 'redis',
      docker: true,
      systemd: false,
      k8s: true,
      otel: true,
      metrics: false,
    });

    // Printed with the command that runs this generator (from a checkout: node <checkout>/dist/cli/index.js).
    const generator = generatorCommand();
    const printed =
      session
        .output()
        .split('\n')
        .find((line) => line.includes(generator)) ?? '';
    const command = printed.slice(printed.indexOf(generator) + generator.length).trim();
    expect(command).toBe(
      'pty-server --name pty-server --transport http --auth jwt --rate-limit redis --docker --no-systemd --k8s --otel --no-metrics --pm npm --no-install --no-git --yes',
    );
    const again = scratch();
    const replay = await cli(again, command.split(' '));
    expect(replay.exitCode).toBe(0);
    expect(files(join(again, 'pty-server'))).toEqual(files(dir));
  });

  test('a stdio server is not asked about HTTP-only options', async () => {
    const cwd = scratch();
    const session = startCli(cwd, ['local', '--name', 'local', '--no-install', '--no-git']);
    await session.expect('Transport');
    session.send(KEY.down + KEY.down + KEY.enter); // stdio
    await session.expect('Dockerfile and compose file?');
    session.send(KEY.enter);
    await session.expect('OpenTelemetry traces?');
    session.send(KEY.enter);
    await session.expect('--transport stdio --docker --no-otel --pm npm --no-install --no-git --yes');
    expect(await session.exit).toBe(0);
    for (const skipped of [
      'Authentication',
      'Rate limits',
      'systemd',
      'Kubernetes',
      'Prometheus',
      'Where should',
    ]) {
      expect(session.output()).not.toContain(skipped);
    }
  });

  test('Ctrl-C at a prompt: exit 130, nothing written', async () => {
    const cwd = scratch();
    const session = startCli(cwd, ['gone', '--no-install', '--no-git']);
    await session.expect('Package name');
    session.send(KEY.ctrlC);
    expect(await session.exit).toBe(130);
    expect(session.output()).toContain('Cancelled; nothing was written.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('--yes on a terminal never prompts', async () => {
    const cwd = scratch();
    const session = startCli(cwd, ['quick', '--yes', '--no-install', '--no-git']);
    expect(await session.exit).toBe(0);
    expect(session.output()).not.toContain('Transport');
    expect(readdirSync(join(cwd, 'quick'))).toContain('prod-mcp.lock.json');
  });
});
