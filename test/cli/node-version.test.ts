import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, test } from 'vitest';
import { nodeVersionWarning, PROJECT_ENGINES } from '../../src/core/node-version.js';
import { ensureNode24, envFor } from '../e2e/node.js';
import { CLI, cli, ensureBuilt, scratch } from './run-cli.js';

beforeAll(async () => {
  ensureBuilt();
  await ensureNode24();
});

/** The warning's one line, or undefined: it is the only `▲` line create prints on stderr. */
const warningIn = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('▲'));

describe('the running Node against the generated engines', () => {
  test('on the machine Node (20): one line naming both versions and what to do, matching package.json', async () => {
    const cwd = scratch();
    const result = await cli(cwd, ['p', '--yes', '--no-install', '--no-git']);
    expect(result.exitCode).toBe(0);
    const engines = (
      JSON.parse(readFileSync(join(cwd, 'p', 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    expect(engines).toBe(PROJECT_ENGINES);
    const lines = warningIn(result.stderr);
    if (Number.parseInt(process.versions.node, 10) < 22) {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Node ${process.versions.node} is running this`);
      expect(lines[0]).toContain(`the project needs Node ${engines} (package.json "engines")`);
      expect(lines[0]).toContain('nvm install 24');
    } else expect(lines).toEqual([]);
  });

  test('on Node 24: no warning', async () => {
    const cwd = scratch();
    const result = await execa('node', [CLI, 'p', '--yes', '--no-install', '--no-git'], {
      cwd,
      reject: false,
      stdin: 'ignore',
      env: envFor(24, { HOME: cwd, CI: '' }),
    });
    expect(result.exitCode).toBe(0);
    expect(warningIn(result.stderr)).toEqual([]);
  });

  test.each([
    ['20.19.0', true],
    ['21.7.3', true],
    ['22.0.0', false],
    ['24.11.1', false],
  ])('Node %s warns: %s', (version, warns) => {
    expect(nodeVersionWarning(version) !== undefined).toBe(warns);
  });
});
