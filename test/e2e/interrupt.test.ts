import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { KEY, startCli } from '../cli/pty.js';
import { ensureBuilt } from '../cli/run-cli.js';

/**
 * Ctrl-C during the dependency install, as a person does it: the real CLI in a real terminal, a real (cold-cache,
 * so slow) `npm install`, and the terminal's own SIGINT to the whole foreground process group. The CLI must exit
 * 130, keep the complete project, and print how to finish; the printed commands are then run as printed.
 */
describe('Ctrl-C during install', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'prod-mcp-interrupt-'));
  afterAll(() => rm(cwd, { recursive: true, force: true }));

  test('exits 130 with the commands to finish (which work) or to start over', async () => {
    ensureBuilt();
    // HOME is the scratch folder (startCli), so npm's cache is empty: the install takes long enough to interrupt.
    // The smallest project (stdio only) keeps the finishing install short.
    const session = startCli(cwd, ['p', '--yes', '--pm', 'npm', '--transport', 'stdio']);
    await session.expect('Installing dependencies with npm', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    session.send(KEY.ctrlC);
    expect(await session.exit).toBe(130);

    const output = session.output();
    expect(output).toContain('Interrupted during `npm install`');
    expect(output).not.toContain('Initialised a git repository');
    expect(existsSync(join(cwd, 'p', 'prod-mcp.lock.json'))).toBe(true);
    expect(existsSync(join(cwd, 'p', '.git'))).toBe(false);

    // The printed line, exactly, in a shell, with a normal environment (npm's warm cache, a git identity).
    const finish = /To finish:\s+(.+)$/m.exec(output)?.[1]?.trim();
    expect(finish).toBe('cd p && npm install && git init && git add -A && git commit -m "Initial commit"');
    const env = {
      npm_config_prefer_offline: 'true',
      GIT_AUTHOR_NAME: 'e2e',
      GIT_AUTHOR_EMAIL: 'e2e@example.com',
      GIT_COMMITTER_NAME: 'e2e',
      GIT_COMMITTER_EMAIL: 'e2e@example.com',
    };
    await execa('sh', ['-c', finish ?? 'false'], { cwd, env, stdin: 'ignore' });
    await execa('npm', ['ls', '--depth=0'], { cwd: join(cwd, 'p') });
    const log = await execa('git', ['log', '--oneline'], { cwd: join(cwd, 'p') });
    expect(log.stdout.trim().split('\n')).toHaveLength(1);
    const status = await execa('git', ['status', '--porcelain'], { cwd: join(cwd, 'p') });
    expect(status.stdout).toBe('');

    const startOver = /To start over:\s+(.+)$/m.exec(output)?.[1]?.trim();
    expect(startOver).toBe('rm -rf p');
    await execa('sh', ['-c', startOver ?? 'false'], { cwd });
    expect(existsSync(join(cwd, 'p'))).toBe(false);
  });
});
