import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/server';

const CONTENT = Symbol('prod-mcp.content');
const RAW = Symbol('prod-mcp.raw-result');

/** Content blocks a handler returns (instead of, or besides, structured data). Build it with `content()`. */
export interface ToolContent {
  readonly [CONTENT]: true;
  blocks: ContentBlock[];
  /** Structured data sent beside the blocks (checked against the tool's output schema when it has one). */
  data?: Record<string, unknown>;
}

/** A result handed to the SDK untouched: for protocol results this project does not wrap (e.g. input_required). */
export interface RawResult {
  readonly [RAW]: true;
  result: CallToolResult | Record<string, unknown>;
}

/** `return content([text('Here it is:'), image(png, 'image/png')])`, optionally with structured data. */
export function content(blocks: ContentBlock[], data?: Record<string, unknown>): ToolContent {
  return data === undefined ? { [CONTENT]: true, blocks } : { [CONTENT]: true, blocks, data };
}

/** Escape hatch: the SDK result as is (no envelope, no output check). The pipeline still logs and limits it. */
export function rawResult(result: RawResult['result']): RawResult {
  return { [RAW]: true, result };
}

export const isToolContent = (value: unknown): value is ToolContent =>
  typeof value === 'object' && value !== null && CONTENT in value;

export const isRawResult = (value: unknown): value is RawResult =>
  typeof value === 'object' && value !== null && RAW in value;

const base64 = (data: string | Uint8Array) =>
  typeof data === 'string' ? data : Buffer.from(data).toString('base64');

export const text = (value: string): ContentBlock => ({ type: 'text', text: value });

/** An image; `data` as bytes or base64. */
export const image = (data: string | Uint8Array, mimeType: string): ContentBlock => ({
  type: 'image',
  data: base64(data),
  mimeType,
});

/** Audio; `data` as bytes or base64. */
export const audio = (data: string | Uint8Array, mimeType: string): ContentBlock => ({
  type: 'audio',
  data: base64(data),
  mimeType,
});

/** A link the client can read with `resources/read` (it is not sent inline). */
export const resourceLink = (
  uri: string,
  name: string,
  details: { title?: string; description?: string; mimeType?: string } = {},
): ContentBlock => ({ type: 'resource_link', uri, name, ...details });

/** A resource sent inline: text, or bytes (base64). */
export const embeddedResource = (
  uri: string,
  body: { text: string } | { blob: string | Uint8Array },
  mimeType?: string,
): ContentBlock => ({
  type: 'resource',
  resource:
    'text' in body
      ? { uri, text: body.text, ...(mimeType && { mimeType }) }
      : { uri, blob: base64(body.blob), ...(mimeType && { mimeType }) },
});
