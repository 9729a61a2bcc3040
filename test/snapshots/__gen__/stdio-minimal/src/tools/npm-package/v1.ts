import { z } from 'zod';
import { ToolError } from '../../core/errors.js';
import { defineTool } from '../../core/tool.js';

/** npm's own rule for package names (lowercase, optional @scope/), so we never build an arbitrary URL. */
const packageName = z
  .string()
  .max(214)
  .regex(
    /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/,
    'must be an npm package name such as zod or @scope/pkg',
  );

/**
 * An external tool: it calls the npm registry, so it is marked `external` (30 s deadline instead of 10 s)
 * and passes `ctx.signal` to fetch, so a deadline or a client cancel stops the request instead of leaving
 * it running. Upstream failures become envelopes the agent can act on: NOT_FOUND is final, RATE_LIMITED
 * and UPSTREAM_UNAVAILABLE are worth retrying.
 */
export const npmPackageV1 = defineTool({
  name: 'npm_package',
  version: 1,
  title: 'Look up an npm package',
  description: 'Returns the latest published version of an npm package with its description and license.',
  input: z.object({ name: packageName.describe('Package name, e.g. zod or @modelcontextprotocol/server') }),
  output: z.object({
    name: z.string(),
    version: z.string(),
    description: z.string().optional(),
    license: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  external: true,
  async handler({ name }, ctx) {
    const url = new URL(
      `${name.replace('/', '%2f')}/latest`,
      `${ctx.config.NPM_REGISTRY_URL.replace(/\/$/, '')}/`,
    );
    let response: Response;
    try {
      response = await fetch(url, { signal: ctx.signal, headers: { accept: 'application/json' } });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      throw new ToolError('UPSTREAM_UNAVAILABLE', 'The npm registry could not be reached.', { cause: error });
    }
    if (response.status === 404) throw new ToolError('NOT_FOUND', `No npm package is named ${name}.`);
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after') ?? 60);
      throw new ToolError('RATE_LIMITED', 'The npm registry is rate limiting us.', { retryAfter });
    }
    if (!response.ok) {
      throw new ToolError('UPSTREAM_UNAVAILABLE', `The npm registry answered HTTP ${response.status}.`);
    }
    const manifest = (await response.json()) as Record<string, unknown>;
    ctx.log.debug({ package: name, version: manifest.version }, 'npm registry answered');
    return {
      name: String(manifest.name ?? name),
      version: String(manifest.version),
      description: typeof manifest.description === 'string' ? manifest.description : undefined,
      license: typeof manifest.license === 'string' ? manifest.license : undefined,
    };
  },
});
