import type { GetPromptResult, PromptMessage } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { RawResult } from './content.js';
import type { HandlerContext } from './operation.js';

/**
 * A versioned prompt template, published as `${name}_v${version}` and frozen like a tool: its arguments are in
 * the schema lock, a change is a new version, an old one is deprecated with a replacement and a sunset.
 * Arguments are strings on the wire (MCP prompts); the zod object validates and describes them.
 */
export interface PromptDefinition<Args extends z.ZodObject = z.ZodObject> {
  name: string;
  version: number;
  /** Publish under exactly this name instead of `${name}_v${version}` (a name someone else fixed). */
  publishedAs?: string;
  title: string;
  description: string;
  /** The arguments, each a string (`z.string()`, optional or not, with `.describe()` for clients). */
  args?: Args;
  /** Completion for an argument: candidates for what the user typed so far (first 100 are sent). */
  complete?: Partial<
    Record<keyof z.input<Args> & string, (value: string, ctx: HandlerContext) => string[] | Promise<string[]>>
  >;
  scopes?: readonly string[];
  rateLimitPerMinute?: number;
  /** Cost units accounted per get. Default 1. */
  cost?: number;
  timeoutMs?: number;
  deprecated?: { replacedBy: string; sunset: string };
  /** The messages (text, image, audio or an embedded resource each), or a whole result with a description. */
  handler(args: z.output<Args>, ctx: HandlerContext): Promise<PromptMessage[] | GetPromptResult | RawResult>;
}

export function definePrompt<Args extends z.ZodObject>(
  definition: PromptDefinition<Args>,
): PromptDefinition<Args> {
  return definition;
}

export const promptName = (prompt: Pick<PromptDefinition, 'name' | 'version' | 'publishedAs'>): string =>
  prompt.publishedAs ?? `${prompt.name}_v${prompt.version}`;

/** `{ role: 'user', content }`: content from `text()`, `image()`, `audio()` or `embeddedResource()`. */
export const userMessage = (content: PromptMessage['content']): PromptMessage => ({ role: 'user', content });
export const assistantMessage = (content: PromptMessage['content']): PromptMessage => ({
  role: 'assistant',
  content,
});
