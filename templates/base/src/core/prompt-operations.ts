import type { GetPromptResult, Prompt, PromptArgument } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { BaseConfig } from '../config.js';
import { isRawResult } from './content.js';
import { envelope } from './errors.js';
import type { Listing } from './listing.js';
import type { Outcome } from './operation.js';
import type { OperationSpec } from './pipeline.js';
import { type PromptDefinition, promptName } from './prompt.js';
import { describeIssues } from './tool-result.js';

interface PreparedPrompt {
  prompt: PromptDefinition;
  name: string;
  listing: Prompt;
  sunsetMs?: number;
  spec: OperationSpec<Record<string, unknown>, GetPromptResult>;
}

/** The wire's argument list (names, descriptions, required) from the zod object. */
function argumentsOf(schema: z.ZodObject | undefined): PromptArgument[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const argument: PromptArgument = { name, required: !type.safeParse(undefined).success };
    if (type.description) argument.description = type.description;
    return argument;
  });
}

function prepare(prompt: PromptDefinition, config: BaseConfig, logger: Logger): PreparedPrompt {
  const name = promptName(prompt);
  const log = logger.child({ prompt: name });
  const schema = prompt.args ?? z.object({});
  const sunsetMs = prompt.deprecated ? Date.parse(prompt.deprecated.sunset) : undefined;
  const listing: Prompt = { name, title: prompt.title, description: prompt.description };
  const args = argumentsOf(prompt.args);
  if (args.length > 0) listing.arguments = args;
  if (prompt.deprecated) {
    const { replacedBy, sunset } = prompt.deprecated;
    listing.description = `${prompt.description}\n\nDeprecated: use ${replacedBy} instead. This version stops working on ${sunset}.`;
    listing._meta = { deprecated: { replacedBy, sunset } };
  }
  const spec: PreparedPrompt['spec'] = {
    kind: 'prompts/get',
    item: {
      name,
      limitKey: prompt.name,
      scopes: prompt.scopes,
      rateLimitPerMinute: prompt.rateLimitPerMinute,
      cost: prompt.cost ?? 1,
    },
    log,
    timeoutMs: prompt.timeoutMs ?? config.TOOL_TIMEOUT_MS,
    prepare: (input): Outcome<Record<string, unknown>> => {
      const { deprecated } = prompt;
      if (deprecated && sunsetMs !== undefined) {
        if (Date.now() >= sunsetMs) {
          const message = `${name} was retired on ${deprecated.sunset}. Use ${deprecated.replacedBy} instead.`;
          return { ok: false, error: envelope('TOOL_RETIRED', message) };
        }
        log.warn(deprecated, `deprecated prompt used; callers should move to ${deprecated.replacedBy}`);
      }
      const parsed = schema.safeParse(input ?? {});
      if (parsed.success) return { ok: true, result: parsed.data };
      const message = `Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)}`;
      return { ok: false, error: envelope('INVALID_ARGUMENT', message) };
    },
    handler: (input, ctx) => prompt.handler(input, ctx),
    output: (value) => {
      if (isRawResult(value)) return { ok: true, result: value.result as GetPromptResult };
      return { ok: true, result: Array.isArray(value) ? { messages: value } : (value as GetPromptResult) };
    },
    shape: (result) => (result.messages ?? []).map((m) => m.content.type),
  };
  const prepared: PreparedPrompt = { prompt, name, listing, spec };
  if (sunsetMs !== undefined) prepared.sunsetMs = sunsetMs;
  return prepared;
}

/** Every prompt version of the server, resolved once at startup. */
export class PromptCatalog {
  readonly #byName = new Map<string, PreparedPrompt>();

  constructor(prompts: readonly PromptDefinition[], config: BaseConfig, logger: Logger) {
    for (const prompt of prompts) {
      const prepared = prepare(prompt, config, logger);
      if (this.#byName.has(prepared.name))
        throw new Error(
          `Two prompts are published as ${prepared.name}: give one of them another name or version`,
        );
      this.#byName.set(prepared.name, prepared);
    }
  }

  get size(): number {
    return this.#byName.size;
  }

  get(name: string): PreparedPrompt | undefined {
    return this.#byName.get(name);
  }

  /** Retired versions stay answerable (PROMPT retired error naming the replacement) but leave the list. */
  list(now = Date.now()): Listing<Prompt>['entries'] {
    return [...this.#byName.values()]
      .filter((p) => p.sunsetMs === undefined || now < p.sunsetMs)
      .map((p) => ({ scopes: p.prompt.scopes, value: p.listing }));
  }

  /** The earliest sunset still ahead: when the list changes next. */
  nextSunset(now = Date.now()): number | undefined {
    const ahead = [...this.#byName.values()].flatMap((p) =>
      p.sunsetMs !== undefined && p.sunsetMs > now ? [p.sunsetMs] : [],
    );
    return ahead.length > 0 ? Math.min(...ahead) : undefined;
  }
}
