import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type CallToolResult, ProtocolError, type ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseEnv } from '../../src/config.js';
import { content, text } from '../../src/core/content.js';
import { requestContext } from '../../src/core/context.js';
import { AppEventBus, type AppEvents } from '../../src/core/events.js';
import { elicitForm } from '../../src/core/input-required.js';
import { createLogger } from '../../src/core/logger.js';
import type { Operation, Outcome } from '../../src/core/operation.js';
import { Pipeline } from '../../src/core/pipeline.js';
import type { Principal } from '../../src/core/principal.js';
import { RequestStateSealer, type StateBinding } from '../../src/core/request-state.js';
import { defineTool } from '../../src/core/tool.js';
import { toolSpec } from '../../src/core/tool-operation.js';
import { captureLogs } from '../helpers/logs.js';

const SECRET = 'a'.repeat(32);
const binding: StateBinding = { principal: 'alice', operation: 'delete_v1', args: { id: 7 } };

/** Flips one character of the part of the wire value at `index` (0 version, 1 body, 2 MAC). */
function flip(state: string, part: number): string {
  const parts = state.split('.');
  const value = parts[part] ?? '';
  parts[part] = `${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`;
  return parts.join('.');
}

describe('requestState sealing: a hostile battery', () => {
  const now = { ms: Date.UTC(2026, 0, 1) };
  const sealer = new RequestStateSealer({ secret: SECRET, now: () => now.ms });
  const state = sealer.seal({ asked: ['confirm'] }, binding);
  const body = state.split('.')[1] ?? '';

  it('opens what it sealed, for the same caller, item and arguments (in any key order)', () => {
    expect(sealer.open(state, binding)).toEqual({ ok: true, data: { asked: ['confirm'] } });
    const reordered = { ...binding, args: JSON.parse('{"id":7}') };
    expect(sealer.open(state, reordered).ok).toBe(true);
  });

  const forgeries: [string, () => ReturnType<RequestStateSealer['open']>][] = [
    ['one byte of the body flipped', () => sealer.open(flip(state, 1), binding)],
    ['one byte of the MAC flipped', () => sealer.open(flip(state, 2), binding)],
    ['truncated by one character', () => sealer.open(state.slice(0, -1), binding)],
    ['truncated to version and body', () => sealer.open(state.split('.').slice(0, 2).join('.'), binding)],
    ['a suffix appended', () => sealer.open(`${state}-TAMPERED`, binding)],
    ['another principal', () => sealer.open(state, { ...binding, principal: 'mallory' })],
    ['another tool', () => sealer.open(state, { ...binding, operation: 'delete_v2' })],
    ['other arguments', () => sealer.open(state, { ...binding, args: { id: 8 } })],
    ['an extra argument', () => sealer.open(state, { ...binding, args: { id: 7, force: true } })],
    [
      'sealed with another key',
      () => new RequestStateSealer({ secret: 'b'.repeat(32) }).open(state, binding),
    ],
    ['empty', () => sealer.open('', binding)],
    ['garbage base64', () => sealer.open('v1.!!!not-base64!!!.???', binding)],
    [
      'JSON without a MAC',
      () => sealer.open(`v1.${Buffer.from('{"d":{},"exp":9e15}').toString('base64url')}`, binding),
    ],
    [
      'a body of our own with a MAC copied from a real state',
      () => {
        const forged = Buffer.from(JSON.stringify({ d: { asked: ['x'] }, exp: 9e15 })).toString('base64url');
        return sealer.open(`v1.${forged}.${state.split('.')[2]}`, binding);
      },
    ],
    ['another version', () => sealer.open(state.replace(/^v1\./, 'v2.'), binding)],
    ['the body alone', () => sealer.open(body, binding)],
  ];

  it.each(forgeries)('refuses a state %s', (_name, attempt) => {
    expect(attempt().ok).toBe(false);
  });

  it('refuses a state after it expired (ten minutes), with the reason', () => {
    const later = new RequestStateSealer({ secret: SECRET, now: () => now.ms + 600_001 });
    expect(later.open(state, binding)).toEqual({ ok: false, reason: 'expired' });
    const sooner = new RequestStateSealer({ secret: SECRET, now: () => now.ms + 599_000 });
    expect(sooner.open(state, binding).ok).toBe(true);
  });

  it('names why: mac for a forgery, binding for a replay, malformed for garbage', () => {
    expect(sealer.open(flip(state, 2), binding)).toEqual({ ok: false, reason: 'mac' });
    expect(sealer.open(state, { ...binding, principal: 'mallory' })).toEqual({
      ok: false,
      reason: 'binding',
    });
    expect(sealer.open('garbage', binding)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts the previous key during a rotation, and no longer once it is dropped', () => {
    const rotating = new RequestStateSealer({ secret: 'c'.repeat(32), previous: SECRET, now: () => now.ms });
    expect(rotating.open(state, binding).ok).toBe(true);
    const rotated = new RequestStateSealer({ secret: 'c'.repeat(32), now: () => now.ms });
    expect(rotated.open(state, binding)).toEqual({ ok: false, reason: 'mac' });
    // New states are sealed with the new key only.
    expect(sealer.open(rotating.seal({}, binding), binding).ok).toBe(false);
  });

  it('takes a key made by the command the README prints, and refuses the .env.example placeholder', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const command = /`MCP_STATE_SECRET` \(`([^`]+)`\)/.exec(readme)?.[1] ?? 'missing';
    const secret = execSync(command, { encoding: 'utf8' }).trim();
    expect(baseEnv.safeParse({ MCP_STATE_SECRET: secret }).success).toBe(true);
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const placeholder = /^# MCP_STATE_SECRET=(.+)$/m.exec(example)?.[1];
    expect(placeholder).toBeDefined();
    expect(baseEnv.safeParse({ MCP_STATE_SECRET: placeholder }).success).toBe(false);
  });

  it('never shows the principal or the arguments in the wire value', () => {
    const decoded = Buffer.from(body, 'base64url').toString('utf8');
    expect(decoded).not.toContain('alice');
    expect(decoded).not.toContain('delete_v1');
  });
});

const Confirm = z.object({ confirm: z.boolean() });
const deleted: number[] = [];
const deleteV1 = defineTool({
  name: 'delete',
  version: 1,
  title: 'Delete',
  description: 'Deletes a thing after the user confirms.',
  input: z.object({ id: z.number() }),
  async handler({ id }, ctx) {
    if (!ctx.accepted('confirm', Confirm)?.confirm) {
      return ctx.ask({ confirm: elicitForm(`Delete ${id}?`, Confirm) });
    }
    deleted.push(id);
    return content([text(`deleted ${id}`)]);
  },
});

/** The pipeline with the SDK's request context reduced to what a multi-round call reads. */
function setup() {
  const logs = captureLogs();
  const logger = createLogger({ name: 'test', level: 'debug', destination: logs.stream });
  const events = new AppEventBus();
  const rejected: AppEvents['state.rejected'][0][] = [];
  events.on('state.rejected', (event) => rejected.push(event));
  const counted: Operation[] = [];
  const config = baseEnv.parse({});
  const pipeline = new Pipeline({
    config,
    logger,
    events,
    middleware: [
      async (operation, next) => {
        if (!operation.continuation) counted.push(operation);
        return next();
      },
    ],
    states: new RequestStateSealer({ secret: SECRET }),
  });
  const spec = toolSpec(deleteV1, config, logger);
  const call = (
    args: unknown,
    round: { requestState?: string; inputResponses?: Record<string, unknown> } = {},
    principal: Principal = { id: 'alice', scopes: [], source: 'api-key' },
  ): Promise<Outcome<CallToolResult>> => {
    const sdk = {
      mcpReq: { requestState: () => round.requestState, inputResponses: round.inputResponses },
    } as unknown as ServerContext;
    const context = { requestId: 'r', correlationId: 'c', principal };
    return requestContext.run(context, () =>
      pipeline.run(spec, args, { signal: new AbortController().signal, sdk }),
    );
  };
  return { call, rejected, counted, logs: logs.lines };
}

const accept = { confirm: { action: 'accept', content: { confirm: true } } };
const stateOf = (outcome: Outcome<CallToolResult>) => {
  if (!outcome.ok) throw new Error(outcome.error.message);
  return (outcome.result as { requestState?: string }).requestState ?? '';
};

describe('a multi-round call through the pipeline', () => {
  it('asks, then acts on the answer; limits and cost count the call once', async () => {
    const { call, counted } = setup();
    const first = await call({ id: 1 });
    expect(first).toMatchObject({ ok: true, result: { resultType: 'input_required' } });
    expect(deleted).not.toContain(1);
    const second = await call({ id: 1 }, { requestState: stateOf(first), inputResponses: accept });
    expect(second).toMatchObject({ ok: true, result: { content: [{ type: 'text', text: 'deleted 1' }] } });
    expect(counted).toHaveLength(1);
  });

  it('ignores an answer the server never asked for (a pre-filled confirmation)', async () => {
    const { call } = setup();
    const outcome = await call({ id: 2 }, { inputResponses: accept });
    expect(outcome).toMatchObject({ ok: true, result: { resultType: 'input_required' } });
    expect(deleted).not.toContain(2);
  });

  it('refuses a state replayed for other arguments or by another caller: -32602, logged, an event', async () => {
    const { call, rejected, logs } = setup();
    const state = stateOf(await call({ id: 3 }));
    const otherArgs = await call({ id: 4 }, { requestState: state, inputResponses: accept });
    const otherCaller = await call(
      { id: 3 },
      { requestState: state, inputResponses: accept },
      {
        id: 'mallory',
        scopes: [],
        source: 'api-key',
      },
    );
    const tampered = await call({ id: 3 }, { requestState: `${state}x`, inputResponses: accept });
    for (const outcome of [otherArgs, otherCaller, tampered]) {
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error.error).toBe('INVALID_ARGUMENT');
      expect(outcome.cause).toBeInstanceOf(ProtocolError);
      expect((outcome.cause as ProtocolError).code).toBe(-32602);
    }
    expect(deleted).not.toContain(3);
    expect(deleted).not.toContain(4);
    expect(rejected.map((event) => event.reason)).toEqual(['binding', 'binding', 'mac']);
    expect(logs.filter((line) => line.msg === 'requestState refused')).toHaveLength(3);
  });
});
