import { setTimeout as sleep } from 'node:timers/promises';
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

/** One request at a time, this far apart: a report of 50 packages must not look like a flood to the registry. */
const PAUSE_MS = 100;

const entry = z.object({
  name: z.string(),
  found: z.boolean(),
  version: z.string().optional(),
  license: z.string().optional(),
  /** npm's deprecation message, when the latest version is deprecated. */
  deprecated: z.string().optional(),
});

/**
 * A long external job, run as a task: it looks packages up one after another, politely, so 50 of them take
 * several seconds. `task: {}` lets a client that speaks the tasks extension get a task to poll instead of
 * holding a request open (one that does not still gets a plain call, under the external tool deadline).
 * `ctx.progress` reports each package (the task's status message while it runs); `ctx.signal` goes to fetch
 * and to the pause, so a cancel (tasks/cancel, on any replica) stops the job between two packages or in the
 * middle of a request. A missing package is a line of the report; a registry that fails fails the job.
 */
export const npmReportV1 = defineTool({
  name: 'npm_report',
  version: 1,
  title: 'Report on npm packages',
  description:
    'For each npm package (up to 50): whether it exists, its latest version, license and deprecation notice. ' +
    'Takes a few seconds for many packages; runs as a task for clients that support tasks.',
  input: z.object({
    names: z.array(packageName).min(1).max(50).describe('Package names, e.g. ["zod", "@scope/pkg"]'),
  }),
  output: z.object({ packages: z.array(entry) }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  external: true,
  task: {},
  async handler({ names }, ctx) {
    const registry = `${ctx.config.NPM_REGISTRY_URL.replace(/\/$/, '')}/`;
    const packages: z.infer<typeof entry>[] = [];
    for (const [index, name] of names.entries()) {
      if (index > 0) await sleep(PAUSE_MS, undefined, { signal: ctx.signal });
      await ctx.progress(index, names.length, `looking up ${name} (${index + 1} of ${names.length})`);
      let response: Response;
      try {
        response = await fetch(new URL(`${name.replace('/', '%2f')}/latest`, registry), {
          signal: ctx.signal,
          headers: { accept: 'application/json' },
        });
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        throw new ToolError('UPSTREAM_UNAVAILABLE', 'The npm registry could not be reached.', {
          cause: error,
        });
      }
      if (response.status === 404) {
        packages.push({ name, found: false });
        continue;
      }
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get('retry-after') ?? 60);
        throw new ToolError('RATE_LIMITED', 'The npm registry is rate limiting us.', { retryAfter });
      }
      if (!response.ok) {
        throw new ToolError('UPSTREAM_UNAVAILABLE', `The npm registry answered HTTP ${response.status}.`);
      }
      const manifest = (await response.json()) as Record<string, unknown>;
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      packages.push({
        name,
        found: true,
        version: text(manifest.version),
        license: text(manifest.license),
        deprecated: text(manifest.deprecated),
      });
    }
    await ctx.progress(names.length, names.length, `looked up ${names.length} packages`);
    return { packages };
  },
});
