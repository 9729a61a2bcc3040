import { describe, expect, test } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { DEFAULT_ANSWERS } from '../../src/core/answers.js';
import { UsageError } from '../../src/core/errors.js';
import { allValidAnswers, parseAnswers, resolveAnswers, suggestName } from '../../src/core/validate.js';

const usage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a UsageError');
};

describe('resolveAnswers: the one validator', () => {
  test('defaults: the directory name and the documented defaults', () => {
    expect(resolveAnswers({}, 'my-server')).toEqual({ name: 'my-server', ...DEFAULT_ANSWERS });
  });

  test('stdio turns the HTTP-only defaults off instead of failing on them', () => {
    expect(resolveAnswers({ transport: 'stdio' }, 'x')).toMatchObject({
      transport: 'stdio',
      auth: 'none',
      rateLimit: 'none',
      metrics: false,
      systemd: false,
      k8s: false,
      docker: true,
    });
  });

  test.each([
    [{ transport: 'stdio', auth: 'jwt' }, '--auth jwt needs the HTTP transport', 'or --auth none'],
    [
      { transport: 'stdio', rateLimit: 'redis' },
      '--rate-limit redis needs the HTTP transport',
      'or --rate-limit none',
    ],
    [{ transport: 'stdio', metrics: true }, '--metrics serves /metrics over HTTP', '--no-metrics'],
    [{ transport: 'stdio', systemd: true }, '--systemd runs a long-lived network service', '--no-systemd'],
    [{ transport: 'stdio', k8s: true }, '--k8s deploys an HTTP service', '--no-k8s'],
    [{ k8s: true, docker: false }, '--k8s deploys the image the Dockerfile builds', 'add --docker'],
    [{ transport: 'websocket' }, '--transport "websocket" is not one of: stdio, http, both', ''],
    [{ auth: 'oauth' }, '--auth "oauth" is not one of: none, api-key, jwt, gateway', ''],
    [{ rateLimit: 'disk' }, '--rate-limit "disk" is not one of: none, memory, redis', ''],
    [{ name: 'My Server' }, '--name "My Server" is not a valid npm package name', 'pass --name my-server'],
  ])('%o → names the flag and the fix', (input, problem, fix) => {
    const message = usage(() => resolveAnswers(input, 'ok-name'));
    expect(message).toContain(problem);
    expect(message).toContain(fix);
  });

  test('an invalid directory name is reported as such, with a --name suggestion', () => {
    expect(usage(() => resolveAnswers({}, 'My Server'))).toMatch(
      /^the directory name "My Server" is not a valid npm package name .*: pass --name my-server$/,
    );
  });

  test('every problem is reported at once', () => {
    const message = usage(() => resolveAnswers({ transport: 'x', auth: 'y' }, 'ok'));
    expect(message.split('\n')).toHaveLength(2);
  });

  test('suggestName makes npm-valid names', () => {
    expect(suggestName('  My Cool_Server!! ')).toBe('my-cool_server');
    expect(suggestName('___')).toBe('my-mcp-server');
  });

  test('parseAnswers (lock file) rejects missing and mistyped fields', () => {
    const valid = { name: 'a', ...DEFAULT_ANSWERS };
    expect(parseAnswers(valid, 'lock')).toEqual(valid);
    expect(usage(() => parseAnswers({ ...valid, docker: 'yes' }, 'lock'))).toBe(
      'lock: answers.docker is missing or not true/false',
    );
    expect(usage(() => parseAnswers({ ...valid, transport: 'stdio' }, 'lock'))).toContain(
      '--auth api-key needs',
    );
  });
});

describe('the combination matrix', () => {
  test('580 valid combinations: 288 for each HTTP transport and 4 for stdio', () => {
    const all = [...allValidAnswers()];
    // http/both: 4 auth × 3 limits × (docker×k8s: 3 valid of 4) × 2 systemd × 2 otel × 2 metrics = 288.
    // stdio: docker × otel = 4.
    expect(all).toHaveLength(580);
    expect(all.filter((a) => a.transport === 'stdio')).toHaveLength(4);
    expect(new Set(all.map((a) => JSON.stringify(a))).size).toBe(580);
  });
});

describe('parseArgs: shape only', () => {
  test('every flag of the public contract', () => {
    const args = parseArgs([
      'dir',
      '--name',
      'n',
      '--transport=http',
      '--auth',
      'jwt',
      '--rate-limit',
      'redis',
      '--no-docker',
      '--systemd',
      '--k8s',
      '--otel',
      '--no-metrics',
      '--pm',
      'pnpm',
      '--no-install',
      '--git',
      '-y',
      '--dry-run',
      '--force',
    ]);
    expect(args).toEqual({
      command: 'create',
      positionals: ['dir'],
      answers: {
        name: 'n',
        transport: 'http',
        auth: 'jwt',
        rateLimit: 'redis',
        docker: false,
        systemd: true,
        k8s: true,
        otel: true,
        metrics: false,
      },
      pm: 'pnpm',
      install: false,
      git: true,
      yes: true,
      dryRun: true,
      force: true,
      help: false,
      version: false,
    });
  });

  test('a folder name that merely resembles a command is a folder (one edit allowed for short words)', () => {
    for (const dir of ['app', 'api', 'my-update', './add', 'updates-service']) {
      expect(parseArgs([dir])).toMatchObject({ command: 'create', positionals: [dir] });
    }
  });

  test('add and update take the first positional as the command', () => {
    expect(parseArgs(['add', 'redis', 'otel', '--cwd', 'p'])).toMatchObject({
      command: 'add',
      positionals: ['redis', 'otel'],
      cwd: 'p',
    });
    expect(parseArgs(['update', '--dry-run'])).toMatchObject({
      command: 'update',
      positionals: [],
      dryRun: true,
    });
  });

  test.each([
    [['--forse'], 'Unknown option --forse. Did you mean --force?'],
    [['--colour'], 'Unknown option --colour. See --help'],
    [['--transport'], '--transport needs a value'],
    [['--auth', '--yes'], '--auth needs a value'],
    [['--yes=1'], '--yes takes no value'],
    [['--no-name'], 'Unknown option --no-name'],
    [['a', 'b'], 'Expected one directory, got 2: a b'],
    [['dir', '--cwd', 'x'], '--cwd is for add and update'],
    [['updte'], 'Unknown command "updte". Did you mean `create-prod-mcp update`?'],
  ])('%o → %s', (argv, message) => {
    expect(usage(() => parseArgs(argv))).toContain(message);
  });
});
