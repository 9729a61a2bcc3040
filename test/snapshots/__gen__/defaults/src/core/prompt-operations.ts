import type { GetPromptResult, Prompt, PromptArgument } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { BaseConfig } from '../config.js';
import { isRawResult } from './content.js';
import type { Listing } from './listing.js';
import type { OperationSpec } from './pipeline.js';
import { type PromptDefinition, promptName } from './prompt.js';
import { deprecatedListing, nextSunset, sunsetOf, versionedPrepare } from './versioning.js';

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
  const sunsetMs = sunsetOf(prompt.deprecated);
  const listing: Prompt = { name, title: prompt.title, description: prompt.description };
  const args = argumentsOf(prompt.args);
  if (args.length > 0) listing.arguments = args;
  if (prompt.deprecated) Object.assign(listing, deprecatedListing(prompt.description, prompt.deprecated));
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
    prepare: versionedPrepare({
      name,
      deprecated: prompt.deprecated,
      schema,
      log,
      verb: 'Use',
      warning: 'deprecated prompt used',
    }),
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
    return nextSunset(
      [...this.#byName.values()].map((p) => p.sunsetMs),
      now,
    );
  }
}
