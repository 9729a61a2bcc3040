import type { CompleteRequestParams, CompleteResult } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config.js';
import type { HandlerContext } from './operation.js';
import type { OperationSpec } from './pipeline.js';
import type { PromptCatalog } from './prompt-operations.js';
import type { ResourceCatalog } from './resource-operations.js';

/** The spec caps a completion at 100 values; `total` and `hasMore` tell the client there were more. */
const MAX_VALUES = 100;

type Completer = (value: string, ctx: HandlerContext) => string[] | Promise<string[]>;

/**
 * `completion/complete` as an operation on the prompt or resource template it refers to: the caller needs
 * that item's scopes, it costs nothing and is not rate limited per item (it runs on every keystroke; the
 * edge limit still applies). An argument without a completer completes to nothing, as the spec allows.
 */
export function completionSpec(
  params: CompleteRequestParams,
  prompts: PromptCatalog,
  resources: ResourceCatalog,
  config: BaseConfig,
  logger: Logger,
): OperationSpec<string, CompleteResult> | undefined {
  const { ref, argument } = params;
  const target =
    ref.type === 'ref/prompt'
      ? prompts.get(ref.name)?.prompt
      : ref.type === 'ref/resource'
        ? resources.template(ref.uri)
        : undefined;
  if (target === undefined) return undefined;
  const name = ref.type === 'ref/prompt' ? ref.name : target.name;
  const completer = (target.complete as Record<string, Completer | undefined> | undefined)?.[argument.name];
  return {
    kind: 'completion/complete',
    item: { name, limitKey: name, scopes: target.scopes, rateLimitPerMinute: 0, cost: 0 },
    log: logger.child({ completion: name, argument: argument.name }),
    timeoutMs: config.TOOL_TIMEOUT_MS,
    prepare: () => ({ ok: true, result: argument.value }),
    handler: async (value, ctx) => (completer ? completer(value, ctx) : []),
    output: (value) => {
      const values = value as string[];
      return {
        ok: true,
        result: {
          completion: {
            values: values.slice(0, MAX_VALUES),
            total: values.length,
            hasMore: values.length > MAX_VALUES,
          },
        },
      };
    },
    shape: (result) => ({ values: result.completion.values.length }),
  };
}
