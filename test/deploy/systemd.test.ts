import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { configDefaultMs, envExampleValue } from './facts.js';
import { matrix, SLUG, variants } from './matrix.js';

/**
 * The unit is checked by systemd's own tools (research/prodlibs.md §7): `verify` must print nothing at all (it
 * exits 0 even for unknown keys or a misspelt Type=, so stderr is the signal) and the offline security
 * analysis must rate the sandbox at most 1.5. `.ci/run` installs systemd when systemd-analyze is missing.
 */
const UNIT_PATH = `deploy/${SLUG}.service`;
const MAX_EXPOSURE = 1.5;

const work = mkdtempSync(join(tmpdir(), 'deploy-systemd-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Where node lives on this machine; `verify` checks that ExecStart's program exists and is executable. */
const NODE = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim();

/** Writes `text` as `<name>.service` in its own folder (verify resolves the unit by its file name). */
function unitFile(text: string, name = SLUG): string {
  const dir = mkdtempSync(join(work, 'unit-'));
  const file = join(dir, `${name}.service`);
  writeFileSync(file, text.replace(/^ExecStart=node /m, `ExecStart=${NODE} `));
  return file;
}

function verify(file: string): { status: number | null; stderr: string } {
  const result = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr + result.stdout };
}

function exposure(file: string): number {
  const result = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', file], {
    encoding: 'utf8',
  });
  const match = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(result.stdout);
  if (!match?.[1]) throw new Error(`no exposure level in:\n${result.stdout}\n${result.stderr}`);
  return Number(match[1]);
}

/** `key=value` lines of the [Service] section (the last value of a repeated key wins, except lists). */
function directives(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (match?.[1]) map.set(match[1], [...(map.get(match[1]) ?? []), match[2] ?? '']);
  }
  return map;
}

const seconds = (value: string): number => {
  const match = /^(\d+)(s|min)?$/.exec(value);
  if (!match) throw new Error(`unexpected time span ${value}`);
  return Number(match[1]) * (match[2] === 'min' ? 60 : 1);
};

describe(`systemd unit (${UNIT_PATH})`, () => {
  const units = variants((path) => path.endsWith('.service'));

  test('renders for every case with --systemd, named after the package, and only then', () => {
    for (const c of matrix()) {
      const services = [...c.tree.keys()].filter((path) => path.endsWith('.service'));
      expect(services, c.label).toEqual(c.answers.systemd ? [UNIT_PATH] : []);
    }
    console.log(
      `systemd: ${matrix().filter((c) => c.answers.systemd).length} cases, ${units.length} distinct units`,
    );
  });

  test.each(units.map((v) => [v.label, v] as const))('%s: systemd-analyze verify prints nothing', (_, v) => {
    const result = verify(unitFile(v.text));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test.each(units.map((v) => [v.label, v] as const))(`%s: exposure ≤ ${MAX_EXPOSURE}`, (_, v) => {
    const score = exposure(unitFile(v.text));
    console.log(`systemd-analyze security --offline=true ${v.label}: ${score}`);
    expect(score).toBeLessThanOrEqual(MAX_EXPOSURE);
  });

  test.each(units.map((v) => [v.label, v] as const))('%s: lifecycle and sandbox settings', (_, v) => {
    const d = directives(v.text);
    const one = (key: string) => d.get(key)?.at(-1);
    expect(one('Type')).toBe('simple');
    expect(one('EnvironmentFile')).toBe(`/etc/${SLUG}/env`);
    expect(one('Restart')).toBe('on-failure');
    expect(seconds(one('RestartSec') ?? '0')).toBeGreaterThan(0);
    expect(one('KillSignal')).toBe('SIGTERM');
    // Bounded memory: throttled at MemoryHigh, killed (and restarted) at MemoryMax, never the whole machine.
    expect([one('MemoryHigh'), one('MemoryMax')]).toEqual(['768M', '1G']);
    // The stop timeout must outlast the server's own shutdown: readiness delay + drain.
    for (const c of v.cases) {
      const shutdown =
        configDefaultMs(c.tree, 'SHUTDOWN_DELAY_MS') + configDefaultMs(c.tree, 'DRAIN_TIMEOUT_MS');
      expect(seconds(one('TimeoutStopSec') ?? '0') * 1000, c.label).toBeGreaterThan(shutdown);
    }
    // Descriptors: the connection cap fits under the open-file limit with the server's 256 of headroom.
    for (const c of v.cases) {
      const connections = Number(envExampleValue(c.tree, 'MAX_CONNECTIONS'));
      expect(connections, c.label).toBeGreaterThan(0);
      expect(Number(one('LimitNOFILE')), c.label).toBeGreaterThanOrEqual(connections + 256);
    }
    // V8's JIT needs writable+executable memory; the rest of the sandbox is on.
    expect(one('MemoryDenyWriteExecute')).toBe('no');
    for (const key of ['DynamicUser', 'NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices']) {
      expect(one(key), key).toBe('yes');
    }
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('RestrictAddressFamilies')).toBe('AF_INET AF_INET6 AF_UNIX');
    expect(d.get('SystemCallFilter')).toEqual(['@system-service', '~@privileged @resources']);

    // ExecStart runs the compiled entry (after the OpenTelemetry preload when --otel) from the install folder.
    const exec = (one('ExecStart') ?? '').split(' ');
    expect(exec[0]).toBe('node');
    expect(exec.at(-1)).toBe(`/opt/${SLUG}/dist/main.js`);
    const otel = v.cases.map((c) => c.answers.otel);
    expect(new Set(otel).size).toBe(1);
    expect(exec.includes('--import')).toBe(otel[0]);
    for (const c of v.cases) {
      for (const js of exec.filter((word) => word.endsWith('.js'))) {
        const source = js.replace(`/opt/${SLUG}/dist/`, 'src/').replace(/\.js$/, '.ts');
        expect(c.tree.has(source), `${c.label}: ${source}`).toBe(true);
      }
    }
  });

  // The checks above can fail: a broken unit makes verify talk, a bare one scores far above the bar.
  test('controls: a misspelt unit is reported, a bare unit is rated unsafe', () => {
    const broken = verify(unitFile('[Service]\nType=simpel\nBogus=1\nExecStart=node /x.js\n', 'broken'));
    expect(broken.stderr).toMatch(/simpel/);
    expect(broken.stderr).toMatch(/Bogus/);
    const bare = exposure(unitFile('[Service]\nExecStart=node /x.js\n', 'bare'));
    expect(bare).toBeGreaterThan(MAX_EXPOSURE);
  });
});
