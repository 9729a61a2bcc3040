import {
  type ReadResourceResult,
  type Resource,
  type ResourceTemplateType,
  UriTemplate,
} from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config.js';
import { envelope } from './errors.js';
import type { Listing } from './listing.js';
import type { HandlerContext, Outcome } from './operation.js';
import type { OperationSpec } from './pipeline.js';
import {
  type AnyResource,
  isTemplate,
  type ResourceBody,
  type ResourceTemplateDefinition,
} from './resource.js';

const DEFAULT_MAX_BYTES = 1024 * 1024;

/** One resource or template, resolved once at startup: its read operation and its listing entries. */
interface PreparedResource {
  resource: AnyResource;
  template?: UriTemplate;
  spec: OperationSpec<{ uri: string; variables: Record<string, string> }, ReadResourceResult>;
}

const byteLength = (body: ResourceBody) =>
  'text' in body
    ? Buffer.byteLength(body.text)
    : typeof body.blob === 'string'
      ? Math.floor((body.blob.length * 3) / 4)
      : body.blob.byteLength;

function readSpec(resource: AnyResource, config: BaseConfig, logger: Logger): PreparedResource['spec'] {
  const maxBytes = resource.maxBytes ?? DEFAULT_MAX_BYTES;
  const cache = {
    ttlMs: resource.cache?.ttlMs ?? 0,
    cacheScope: resource.cache?.scope ?? 'private',
  } as const;
  return {
    kind: 'resources/read',
    item: {
      name: resource.name,
      limitKey: resource.name,
      scopes: resource.scopes,
      rateLimitPerMinute: resource.rateLimitPerMinute,
      cost: resource.cost ?? 1,
    },
    log: logger.child({ resource: resource.name }),
    timeoutMs: resource.timeoutMs ?? config.TOOL_TIMEOUT_MS,
    prepare: (args) => ({ ok: true, result: args as { uri: string; variables: Record<string, string> } }),
    handler: async ({ uri, variables }, ctx: HandlerContext) => ({
      uri,
      body: isTemplate(resource) ? await resource.read(variables, ctx, uri) : await resource.read(ctx),
    }),
    output: (value): Outcome<ReadResourceResult> => {
      const { uri, body } = value as { uri: string; body: ResourceBody };
      const size = byteLength(body);
      if (size > maxBytes) {
        const message = `${resource.name} is ${size} bytes, over its cap of ${maxBytes}: raise its maxBytes, or return a smaller body.`;
        return { ok: false, error: envelope('PAYLOAD_TOO_LARGE', message) };
      }
      const mimeType = body.mimeType ?? resource.mimeType;
      const contents =
        'text' in body
          ? { uri, text: body.text, ...(mimeType && { mimeType }) }
          : {
              uri,
              blob: typeof body.blob === 'string' ? body.blob : Buffer.from(body.blob).toString('base64'),
              ...(mimeType && { mimeType }),
            };
      return { ok: true, result: { contents: [contents], ...cache } };
    },
    shape: (result) => result.contents.map((c) => ({ size: 'text' in c ? c.text.length : c.blob.length })),
  };
}

/**
 * Every resource and template of the server: what `resources/list` and `resources/templates/list` show and
 * which definition a `resources/read` URI resolves to (fixed URIs first, then templates in order).
 */
export class ResourceCatalog {
  readonly #prepared: PreparedResource[];
  readonly #fixed = new Map<string, PreparedResource>();

  constructor(resources: readonly AnyResource[], config: BaseConfig, logger: Logger) {
    this.#prepared = resources.map((resource) => {
      const prepared: PreparedResource = { resource, spec: readSpec(resource, config, logger) };
      if (isTemplate(resource)) prepared.template = new UriTemplate(resource.uriTemplate);
      else this.#fixed.set(resource.uri, prepared);
      return prepared;
    });
    const names = new Set<string>();
    for (const { resource } of this.#prepared) {
      if (names.has(resource.name)) throw new Error(`Two resources are named ${resource.name}: rename one`);
      names.add(resource.name);
    }
  }

  get size(): number {
    return this.#prepared.length;
  }

  /** The definition and variables a URI resolves to, or undefined (the caller answers not-found). */
  resolve(uri: string): { prepared: PreparedResource; variables: Record<string, string> } | undefined {
    const fixed = this.#fixed.get(uri);
    if (fixed) return { prepared: fixed, variables: {} };
    for (const prepared of this.#prepared) {
      const match = prepared.template?.match(uri);
      if (match) {
        const variables = Object.fromEntries(
          Object.entries(match).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : value]),
        );
        return { prepared, variables };
      }
    }
    return undefined;
  }

  template(uriTemplate: string): ResourceTemplateDefinition | undefined {
    const found = this.#prepared.find(
      (p) => isTemplate(p.resource) && p.resource.uriTemplate === uriTemplate,
    );
    return found?.resource as ResourceTemplateDefinition | undefined;
  }

  /** Fixed resources, plus whatever templates choose to enumerate. */
  async list(ctx: HandlerContext): Promise<Listing<Resource>['entries']> {
    const entries: Listing<Resource>['entries'] = [];
    for (const { resource } of this.#prepared) {
      const common = {
        ...(resource.title && { title: resource.title }),
        ...(resource.description && { description: resource.description }),
        ...(resource.mimeType && { mimeType: resource.mimeType }),
      };
      if (!isTemplate(resource)) {
        entries.push({
          scopes: resource.scopes,
          value: { uri: resource.uri, name: resource.name, ...common },
        });
      } else if (resource.list) {
        for (const listed of await resource.list(ctx)) {
          entries.push({ scopes: resource.scopes, value: { ...common, ...listed } });
        }
      }
    }
    return entries;
  }

  templates(): Listing<ResourceTemplateType>['entries'] {
    return this.#prepared.flatMap(({ resource }) =>
      isTemplate(resource)
        ? [
            {
              scopes: resource.scopes,
              value: {
                uriTemplate: resource.uriTemplate,
                name: resource.name,
                ...(resource.title && { title: resource.title }),
                ...(resource.description && { description: resource.description }),
                ...(resource.mimeType && { mimeType: resource.mimeType }),
              },
            },
          ]
        : [],
    );
  }
}
