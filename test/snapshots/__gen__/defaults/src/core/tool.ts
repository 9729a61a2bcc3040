import type { ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { RawResult, ToolContent } from './content.js';
import type { HandlerContext } from './operation.js';

/** What a tool handler gets besides its arguments. */
export type ToolContext = HandlerContext;

/**
 * With an output schema a handler returns data (or data plus content blocks); without one, content blocks.
 * `rawResult(...)` hands the SDK a result as it is (for protocol results not wrapped here).
 */
export type ToolReturn<Output> =
  | (Output extends z.ZodObject ? z.input<Output> | ToolContent : ToolContent)
  | RawResult;

/**
 * A versioned tool. It is published as `${name}_v${version}`; once published its schemas never change
 * (tools.lock.json and `npm run tools:check` enforce it). To change a schema, add a new version.
 */
export interface ToolDefinition<
  Input extends z.ZodObject = z.ZodObject,
  Output extends z.ZodObject | undefined = z.ZodObject | undefined,
> {
  name: string;
  version: number;
  /**
   * Publish under exactly this name instead of `${name}_v${version}`: for a name someone else fixed (a client
   * or a test suite that hard-codes it). The lock and the version rules still apply.
   */
  publishedAs?: string;
  title: string;
  description: string;
  input: Input;
  /** The structured result's schema. Without one the tool returns content blocks (images, links, text…). */
  output?: Output;
  annotations?: ToolAnnotations;
  /** Calls an external system: gets the longer default deadline (30 s instead of 10 s). */
  external?: boolean;
  /** Overrides the default deadline for this tool. */
  timeoutMs?: number;
  /** OAuth scopes (or API-key scopes) a caller needs; checked before the handler runs, and unlisted without. */
  scopes?: readonly string[];
  /** Calls per principal per minute for this tool; overrides RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute?: number;
  /** Cost units accounted per call (for usage and cost reports). Default 1. */
  cost?: number;
  /**
   * Runs as a task (SEP-2663) for clients that speak the tasks extension: a call still running after
   * `immediateMs` (default 250; 0: always a task) becomes a task the client polls, answers and cancels, held to
   * `timeoutMs` (default TASK_TIMEOUT_MS, 15 min) instead of the tool deadline. `required`: clients without
   * the extension are refused (-32021); otherwise they get a plain call under the tool deadline.
   */
  task?: { required?: boolean; timeoutMs?: number; immediateMs?: number };
  /** Set when a newer version replaces this one. After `sunset` the tool is unlisted and calls fail. */
  deprecated?: { replacedBy: string; sunset: string };
  handler(args: z.output<Input>, ctx: ToolContext): Promise<ToolReturn<Output>>;
}

/** Identity function that keeps the handler's argument and result types tied to the schemas. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject | undefined = undefined>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  return definition;
}

/** The name a tool is published under. */
export const publishedName = (tool: Pick<ToolDefinition, 'name' | 'version' | 'publishedAs'>): string =>
  tool.publishedAs ?? `${tool.name}_v${tool.version}`;
