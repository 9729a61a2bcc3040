import type { ToolAnnotations } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { BaseConfig } from '../config.js';
import type { Principal } from './principal.js';

/** What a tool handler gets besides its arguments. */
export interface ToolContext {
  /** Aborted when the deadline passes, the client cancels, or the server shuts down: pass it to every I/O call. */
  signal: AbortSignal;
  principal: Principal;
  /** Logger bound to this call's requestId, correlationId and tool name. */
  log: Logger;
  requestId: string;
  correlationId: string;
  /** The agent run this call belongs to, when the client said (X-Run-Id header or `_meta.runId`). */
  runId?: string;
  /** The validated configuration: read settings here, never from `process.env`. */
  config: BaseConfig;
}

/**
 * A versioned tool. It is published as `${name}_v${version}`; once published its schemas never change
 * (tools.lock.json and `npm run tools:check` enforce it). To change a schema, add a new version.
 */
export interface ToolDefinition<
  Input extends z.ZodObject = z.ZodObject,
  Output extends z.ZodObject = z.ZodObject,
> {
  name: string;
  version: number;
  title: string;
  description: string;
  input: Input;
  output: Output;
  annotations?: ToolAnnotations;
  /** Calls an external system: gets the longer default deadline (30 s instead of 10 s). */
  external?: boolean;
  /** Overrides the default deadline for this tool. */
  timeoutMs?: number;
  /** OAuth scopes (or API-key scopes) a caller needs; checked before the handler runs. */
  scopes?: readonly string[];
  /** Calls per principal per minute for this tool; overrides RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute?: number;
  /** Cost units accounted per call (for usage and cost reports). Default 1. */
  cost?: number;
  /** Set when a newer version replaces this one. After `sunset` the tool is unlisted and calls fail. */
  deprecated?: { replacedBy: string; sunset: string };
  handler(args: z.output<Input>, ctx: ToolContext): Promise<z.input<Output>>;
}

/** Identity function that keeps the handler's argument and result types tied to the schemas. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  return definition;
}

/** The name a tool is published under. */
export const publishedName = (tool: Pick<ToolDefinition, 'name' | 'version'>): string =>
  `${tool.name}_v${tool.version}`;
