import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseLock } from '../../src/core/lock.js';
import { nodeVersionWarning } from '../../src/core/node-version.js';
import { GENERATOR, generatorCommand } from '../../src/core/version.js';
import { cli, ensureBuilt, scratch } from './run-cli.js';

beforeAll(ensureBuilt);

describe('help and version', () => {
  test('--help lists the whole public contract and exits 0', async () => {
    const result = await cli(scratch(), ['--help']);
    expect(result.exitCode).toBe(0);
    for (const flag of [
      'create-prod-mcp [directory] [options]',
      'create-prod-mcp add <feature...> [options]',
      'create-prod-mcp update [options]',
      '--name <package-name>',
      '--transport <stdio|http|both>',
      '--auth <none|api-key|jwt|gateway>',
      '--rate-limit <none|memory|redis>',
      '--docker / --no-docker',
      '--systemd / --no-systemd',
      '--k8s / --no-k8s',
      '--otel / --no-otel',
      '--metrics / --no-metrics',
      '--pm <npm|pnpm|yarn|bun>',
      '--install / --no-install, --git / --no-git',
      '-y, --yes',
      '--dry-run',
      '--force',
      '--cwd <dir>',
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  test('--version prints the package version', async () => {
    const result = await cli(scratch(), ['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(GENERATOR.version);
  });
});

describe('bad input: exit 2, a message naming the flag and the fix, nothing written', () => {
  test.each([
    [['--transport', 'websocket'], '--transport "websocket" is not one of: stdio, http, both'],
    [['--auth', 'oauth'], '--auth "oauth" is not one of: none, api-key, jwt, gateway'],
    [['--rate-limit', 'disk'], '--rate-limit "disk" is not one of: none, memory, redis'],
    [['--pm', 'cargo'], '--pm "cargo" is not one of: npm, pnpm, yarn, bun'],
    [['--name', 'Bad Name'], '--name "Bad Name" is not a valid npm package name'],
    [['--transport', 'stdio', '--auth', 'jwt'], '--auth jwt needs the HTTP transport'],
    [['--transport', 'stdio', '--rate-limit', 'memory'], '--rate-limit memory needs the HTTP transport'],
    [['--k8s', '--no-docker'], '--k8s deploys the image the Dockerfile builds: add --docker, or drop --k8s'],
    [['--frobnicate'], 'Unknown option --frobnicate'],
    [['--dry-rn'], 'Did you mean --dry-run?'],
    [['--name'], '--name needs a value'],
  ])('%o', async (flags, message) => {
    const cwd = scratch();
    const result = await cli(cwd, ['out', '--yes', '--no-install', '--no-git', ...flags]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('an invalid directory name suggests --name', async () => {
    const cwd = scratch();
    const result = await cli(cwd, ['My Server', '--yes']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('the directory name "My Server" is not a valid npm package name');
    expect(result.stderr).toContain('pass --name my-server');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('typos get "did you mean" (exit 2, nothing written), never a project named after the typo', () => {
  test.each([
    [['updat'], 'Unknown command "updat". Did you mean `create-prod-mcp update`?'],
    [['upgrade', '--auth', 'jwt'], 'Did you mean `create-prod-mcp update`?'],
    [['Update'], 'Did you mean `create-prod-mcp update`?'],
    [['ad', 'redis'], 'Unknown command "ad". Did you mean `create-prod-mcp add`?'],
    [
      ['out', '--auth', 'jwk'],
      '--auth "jwk" is not one of: none, api-key, jwt, gateway. Did you mean --auth jwt?',
    ],
    [['out', '--transport', 'htttp'], 'Did you mean --transport http?'],
    [['out', '--rate-limit', 'reddis'], 'Did you mean --rate-limit redis?'],
    [['out', '--pm', 'pnmp'], 'Did you mean --pm pnpm?'],
  ])('%o', async (argv, message) => {
    const cwd = scratch();
    const result = await cli(cwd, [...argv, '--yes', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('the typo message names the way to a folder of that name, and that way works', async () => {
    const cwd = scratch();
    const refused = await cli(cwd, ['updat', '--yes', '--no-install', '--no-git']);
    expect(refused.stderr).toContain('To create a project in a folder named "updat", write ./updat.');
    const created = await cli(cwd, ['./updat', '--yes', '--no-install', '--no-git']);
    expect(created.exitCode).toBe(0);
    expect(readdirSync(cwd)).toEqual(['updat']);
  });

  test('add reddis in a project: did you mean add redis, the project untouched', async () => {
    const cwd = scratch();
    expect((await cli(cwd, ['p', '--yes', '--no-install', '--no-git'])).exitCode).toBe(0);
    const lockBefore = readFileSync(join(cwd, 'p', 'prod-mcp.lock.json'), 'utf8');
    const result = await cli(cwd, ['add', 'reddis', '--cwd', 'p', '--force', '--no-install']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Unknown feature "reddis". Did you mean add redis?');
    expect(readFileSync(join(cwd, 'p', 'prod-mcp.lock.json'), 'utf8')).toBe(lockBefore);
    const alias = await cli(cwd, ['add', 'prometeus', '--cwd', 'p', '--force', '--no-install']);
    expect(alias.stderr).toContain('Did you mean add metrics?');
  });
});

describe('the target directory', () => {
  test('--dry-run lists every file and writes nothing', async () => {
    const cwd = scratch();
    const result = await cli(cwd, ['out', '--yes', '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Would create \d+ files in /);
    expect(result.stdout).toContain('CREATE package.json');
    expect(result.stdout).toContain('CREATE prod-mcp.lock.json');
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('a non-empty directory is refused, untouched; --force writes into it and keeps other files', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out', 'notes.txt'), 'mine');
    const refused = await cli(cwd, ['out', '--yes', '--no-install', '--no-git']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('out is not empty (1 entry)');
    expect(refused.stderr).toContain('pass --force');
    expect(readdirSync(join(cwd, 'out'))).toEqual(['notes.txt']);

    const forced = await cli(cwd, ['out', '--yes', '--no-install', '--no-git', '--force']);
    expect(forced.exitCode).toBe(0);
    expect(readdirSync(join(cwd, 'out'))).toEqual(expect.arrayContaining(['notes.txt', 'package.json']));
    expect(readFileSync(join(cwd, 'out', 'notes.txt'), 'utf8')).toBe('mine');

    const again = await cli(cwd, ['out', '--yes']);
    expect(again.exitCode).toBe(2);
    // The generator as it was started (from this checkout: node <checkout>/dist/cli/index.js), so it runs.
    expect(again.stderr).toContain(
      `already holds a generated project: use \`${generatorCommand()} update --cwd out\``,
    );
  });

  test('--dry-run --force into a non-empty directory marks the files it would replace', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out', 'package.json'), '{}');
    const result = await cli(cwd, ['out', '--yes', '--dry-run', '--force']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('REPLACE package.json');
    expect(result.stdout).toContain('CREATE prod-mcp.lock.json');
    expect(readFileSync(join(cwd, 'out', 'package.json'), 'utf8')).toBe('{}');
  });

  test('a target that is a file is a usage error', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'out'), 'x');
    const result = await cli(cwd, ['out', '--yes']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('exists and is a file');
  });

  test('a directory holding only .git counts as empty', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'out', '.git'), { recursive: true });
    const result = await cli(cwd, ['out', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(0);
  });
});

describe('a real create', () => {
  test('writes the project and its lock file, makes a first commit, prints next steps', async () => {
    const cwd = scratch();
    const result = await cli(cwd, [
      'svc',
      '--yes',
      '--no-install',
      '--transport',
      'http',
      '--auth',
      'jwt',
      '--otel',
    ]);
    // Nothing on stderr but, under a Node older than the project's engines, that one warning.
    const nodeWarning = nodeVersionWarning();
    expect(result.stderr).toBe(nodeWarning === undefined ? '' : `▲ ${nodeWarning}`);
    expect(result.exitCode).toBe(0);
    const dir = join(cwd, 'svc');

    const lock = parseLock(readFileSync(join(dir, 'prod-mcp.lock.json'), 'utf8'));
    expect(lock.answers).toMatchObject({
      name: 'svc',
      transport: 'http',
      auth: 'jwt',
      rateLimit: 'memory',
      otel: true,
    });
    const onDisk = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath ?? '', e.name).slice(dir.length + 1))
      .filter((path) => !path.startsWith('.git/'))
      .sort();
    // Everything the lock lists, the lock itself, and the merge base add/update need (not hashed by the lock).
    const extra = ['prod-mcp.lock.json', '.prod-mcp/base.json', '.prod-mcp/.gitattributes'];
    expect(onDisk).toEqual([...Object.keys(lock.files), ...extra].sort());

    // HOME is an empty folder: no git identity, so the commit is made as create-prod-mcp.
    const log = await execa('git', ['log', '--format=%an|%s'], { cwd: dir });
    expect(log.stdout).toBe(`create-prod-mcp|Initial commit from create-prod-mcp ${GENERATOR.version}`);
    const status = await execa('git', ['status', '--porcelain'], { cwd: dir });
    expect(status.stdout).toBe('');

    expect(result.stdout).toContain('Initialised a git repository');
    expect(result.stdout).toContain('Next steps:');
    expect(result.stdout).toContain('cd svc');
    expect(result.stdout).toContain('npm install');
  });

  test('--no-git makes no repository; --pm changes the printed commands', async () => {
    const cwd = scratch();
    const result = await cli(cwd, ['svc', '--yes', '--no-install', '--no-git', '--pm', 'pnpm']);
    expect(result.exitCode).toBe(0);
    expect(readdirSync(join(cwd, 'svc'))).not.toContain('.git');
    expect(result.stdout).toContain('pnpm install');
  });

  test('a failed install keeps the complete project, says how to retry and exits 1', async () => {
    const cwd = scratch();
    // A PATH with node but no npm: the install cannot start.
    const bin = join(cwd, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = await cli(cwd, ['svc', '--yes', '--no-git'], { PATH: bin });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('npm install failed');
    expect(result.stderr).toContain(`Run \`npm install\` in ${join(cwd, 'svc')} to retry.`);
    expect(readdirSync(join(cwd, 'svc'))).toContain('prod-mcp.lock.json');
    expect(result.stdout).toContain('Next steps:');
  });

  test('colour: on when forced, off when NO_COLOR is set (even if forced)', async () => {
    const args = ['--yes', '--dry-run'];
    const forced = await cli(scratch(), ['a', ...args], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[');
    const plain = await cli(scratch(), ['a', ...args], { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(plain.stdout).not.toContain('\u001b[');
  });
});
