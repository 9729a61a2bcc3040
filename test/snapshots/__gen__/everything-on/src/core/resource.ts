import type { CacheScope } from '@modelcontextprotocol/server';
import type { HandlerContext } from './operation.js';

/** What a read returns: text (with its MIME type), or bytes (sent base64). */
export type ResourceBody =
  | { text: string; mimeType?: string }
  | { blob: Uint8Array | string; mimeType?: string };

/** Settings every resource and template shares. */
interface ResourceCommon {
  /** Stable name: log lines, metrics and limits use it. */
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** Scopes a caller needs to read it (and to see it listed). */
  scopes?: readonly string[];
  /** Reads per principal per minute; overrides RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute?: number;
  /** Cost units accounted per read. Default 1. */
  cost?: number;
  /** Overrides the default deadline (TOOL_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Largest body a read may return, in bytes (default 1 MiB): a bigger one fails with PAYLOAD_TOO_LARGE. */
  maxBytes?: number;
  /**
   * How long a client may reuse a read (2026-07-28 caching hints). Default 0: ask again every time. Say
   * `public` only for content that is the same for every caller; anything behind scopes stays `private`.
   */
  cache?: { ttlMs: number; scope?: CacheScope };
}

/** A resource at one fixed URI. */
export interface ResourceDefinition extends ResourceCommon {
  uri: string;
  read(ctx: HandlerContext): Promise<ResourceBody>;
}

/** A family of resources named by an RFC 6570 URI template, e.g. `catalogue://tools/{name}`. */
export interface ResourceTemplateDefinition<Var extends string = string> extends ResourceCommon {
  uriTemplate: string;
  /** Completion for a variable: the candidates for what the user typed so far (first 100 are sent). */
  complete?: Partial<Record<Var, (value: string, ctx: HandlerContext) => string[] | Promise<string[]>>>;
  /** The concrete resources to list in `resources/list`, if the family is small enough to enumerate. */
  list?(ctx: HandlerContext): Promise<{ uri: string; name: string; title?: string; description?: string }[]>;
  read(variables: Record<Var, string>, ctx: HandlerContext, uri: string): Promise<ResourceBody>;
}

export type AnyResource = ResourceDefinition | ResourceTemplateDefinition;

export function defineResource(definition: ResourceDefinition): ResourceDefinition {
  return definition;
}

/** Infers the template's variable names, so `read` and `complete` are typed by them. */
export function defineResourceTemplate<const T extends string>(
  definition: ResourceTemplateDefinition<TemplateVariables<T>> & { uriTemplate: T },
): ResourceTemplateDefinition<TemplateVariables<T>> {
  return definition;
}

/** `a://{x}/b{?y,z}` → 'x' | 'y' | 'z' (RFC 6570 operators stripped). */
export type TemplateVariables<T extends string> = T extends `${string}{${infer Expression}}${infer Rest}`
  ? ExpressionNames<StripOperator<Expression>> | TemplateVariables<Rest>
  : never;
type StripOperator<E extends string> = E extends `${'+' | '#' | '.' | '/' | ';' | '?' | '&'}${infer N}`
  ? N
  : E;
type ExpressionNames<E extends string> = E extends `${infer A},${infer B}`
  ? StripModifier<A> | ExpressionNames<B>
  : StripModifier<E>;
type StripModifier<N extends string> = N extends `${infer V}*` ? V : N extends `${infer V}:${string}` ? V : N;

export const isTemplate = (resource: AnyResource): resource is ResourceTemplateDefinition =>
  'uriTemplate' in resource;
