import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { PreparedProject } from '../harness.js';
import { callToolInside, containerNamed, runContainer, waitFor } from './podman.js';

/**
 * Issue 16: the generated unit run by a real systemd — systemd as PID 1 in a container (`--systemd=always`, the
 * Debian image containers.mjs assembles), installed with the README's own steps. systemd-analyze verify and the
 * offline score (test/deploy/systemd.test.ts) read the file; this shows the running systemd applies it: the
 * sandbox is in force on the process, a crash is restarted, and `systemctl stop` drains and exits cleanly.
 */
const MAX_EXPOSURE = 1.5;
const SYSTEMD_IMAGE = 'localhost/prod-mcp/systemd:bookworm';
const MACHINE = 'prod-mcp-e2e-systemd';

/**
 * Installs `project` (made with --systemd) on a systemd machine with its README's steps, API_KEYS=`key.entry` in
 * its .env, and shows it starts sandboxed, restarts after a crash and stops cleanly. Removes the machine after.
 */
export async function expectSystemdUnit(project: PreparedProject, key: { key: string; entry: string }) {
  const example = await readFile(join(project.dir, '.env.example'), 'utf8');
  await writeFile(join(project.dir, '.env'), example.replace(/^#?\s*API_KEYS=.*$/m, `API_KEYS=${key.entry}`));
  try {
    await installAndRun(project, key.key);
  } finally {
    await containerNamed(MACHINE).remove();
  }
}

async function installAndRun(project: PreparedProject, key: string) {
  const slug = project.answers.name;
  const machine = containerNamed(MACHINE);
  const sh = async (script: string) => {
    const { exitCode, output } = await machine.exec(['sh', '-euc', script]);
    expect(exitCode, `${script}\n${output}`).toBe(0);
    return output.trim();
  };
  const show = (property: string) => sh(`systemctl show ${slug} -p ${property} --value`);
  const get = (path: string) =>
    machine.exec(['node', '-e', `fetch('http://127.0.0.1:3000${path}').then((r) => console.log(r.status))`]);

  // The README's install block: the first line on the checkout (here), the rest on the "server" (as root there,
  // so without sudo).
  const readme = await readFile(join(project.dir, 'README.md'), 'utf8');
  const block = /On the server, from a checkout of this repository:\n\n```sh\n([\s\S]*?)```/.exec(
    readme,
  )?.[1];
  const [build = '', ...install] = (block ?? '').trim().split('\n');
  expect(build).toBe('npm install && npm run build && npm prune --omit=dev');
  // The command as printed; a warm npm cache (prefer-offline) stands in for the server's network.
  const built = Date.now();
  await project.run('sh', ['-c', build], { env: { npm_config_prefer_offline: 'true' } });
  console.log(`[systemd] ${build}: ${Math.round((Date.now() - built) / 1000)} s`);
  await runContainer(SYSTEMD_IMAGE, MACHINE, ['--systemd=always', '-v', `${project.dir}:/src:ro`]);
  await waitFor(
    'systemd up',
    async () => /running|degraded/.test((await machine.exec(['systemctl', 'is-system-running'])).output),
    () => machine.logs(),
  );
  await sh(`cd /src\n${install.join('\n').replaceAll('sudo ', '')}`);

  await waitFor(
    'the service serving',
    async () => (await get('/readyz')).output.trim() === '200',
    () => sh(`systemctl status ${slug} --no-pager || true; journalctl -u ${slug} --no-pager || true`),
  );
  expect(await show('ActiveState')).toBe('active');
  // The running systemd applied the sandbox: a dynamic non-root user, no capabilities, no new privileges, a
  // seccomp filter, its own user and mount namespaces with a read-only root.
  const pid = await show('MainPID');
  const status = await sh(`cat /proc/${pid}/status`);
  expect(status).not.toMatch(/^Uid:\s+0\s/m);
  expect(status).toMatch(/^CapEff:\s+0+$/m);
  expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
  expect(status).toMatch(/^Seccomp:\s+2$/m);
  expect(await sh(`readlink /proc/${pid}/ns/user`)).not.toBe(await sh('readlink /proc/1/ns/user'));
  expect(await sh(`awk '$5 == "/" { print $6 }' /proc/${pid}/mountinfo`)).toMatch(/^ro,/);
  // Nothing in the unit was ignored or refused by this systemd.
  const journal = await sh(`journalctl --no-pager -b | grep -i '${slug}.service' || true`);
  expect(journal).not.toMatch(/Unknown key|Ignoring|Failed to|invalid/i);
  const security = await sh(`systemd-analyze security ${slug} --no-pager | tail -1`);
  const score = Number(/exposure level for \S+: (\d+\.\d+)/.exec(security)?.[1]);
  console.log(`[systemd] ${security}`);
  expect(score).toBeLessThanOrEqual(MAX_EXPOSURE);

  // An MCP call through the service, authenticated by the EnvironmentFile's API_KEYS.
  const call = await callToolInside(machine, 'http://127.0.0.1:3000/mcp', key, 'convert_temperature_v2', {
    value: 100,
    from: 'celsius',
    to: 'fahrenheit',
  });
  expect(call.result?.structuredContent, call.body).toEqual({ value: 212, unit: 'fahrenheit' });

  // A crash (SIGKILL, as the OOM killer would): Restart=on-failure brings it back after RestartSec.
  await sh(`kill -KILL ${pid}`);
  await waitFor(
    'the restart',
    async () => (await show('NRestarts')) === '1' && (await get('/healthz')).output.trim() === '200',
    () => sh(`journalctl -u ${slug} --no-pager | tail -20`),
    20_000,
  );
  expect(await show('MainPID')).not.toBe(pid);

  // systemctl stop: SIGTERM, the drain, exit 0, well inside TimeoutStopSec.
  const started = Date.now();
  await sh(`systemctl stop ${slug}`);
  const seconds = (Date.now() - started) / 1000;
  expect(seconds).toBeLessThan(Number((await show('TimeoutStopUSec')).replace(/s$/, '')));
  expect(await show('Result')).toBe('success');
  expect(await show('ExecMainStatus')).toBe('0');
  const log = await sh(`journalctl -u ${slug} --no-pager -o cat`);
  expect(log).toContain('shutting down: readiness now fails; in-flight calls drain');
  expect(log).toContain('"msg":"stopped"');
}
