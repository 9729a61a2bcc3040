import { ToolError } from '../core/errors.js';
import { defineResource, defineResourceTemplate } from '../core/resource.js';
import { publishedName } from '../core/tool.js';
import { toolSchemas } from '../core/tool-schema.js';
import { tools } from '../tools/index.js';

/** Published name → what a client needs to use it; computed once (tool schemas are frozen once published). */
const catalogue = new Map(
  tools.map((tool) => [
    publishedName(tool),
    {
      name: publishedName(tool),
      title: tool.title,
      description: tool.description,
      ...toolSchemas(tool),
      ...(tool.deprecated && { deprecated: tool.deprecated }),
    },
  ]),
);

/**
 * This server's own tool catalogue, as resources: an index, and one document per published tool version.
 * Agents and people read it to learn what a tool does before calling it; schemas never change once
 * published (tools.lock.json), so clients may cache them for an hour.
 */
export const toolIndex = defineResource({
  name: 'tool-index',
  uri: 'catalogue://tools',
  title: 'Tool catalogue',
  description: 'Every tool version this server publishes, with its title and deprecation, as JSON.',
  mimeType: 'application/json',
  cache: { ttlMs: 3_600_000, scope: 'public' },
  async read() {
    const index = [...catalogue.values()].map(({ name, title, deprecated }) => ({ name, title, deprecated }));
    return { text: JSON.stringify(index, null, 2) };
  },
});

export const toolDocument = defineResourceTemplate({
  name: 'tool',
  uriTemplate: 'catalogue://tools/{name}',
  title: 'Tool',
  description: 'One published tool version: description, input and output JSON Schemas, deprecation.',
  mimeType: 'application/json',
  cache: { ttlMs: 3_600_000, scope: 'public' },
  complete: {
    name: (typed) => [...catalogue.keys()].filter((name) => name.startsWith(typed)),
  },
  async list() {
    return [...catalogue.values()].map(({ name, title }) => ({
      uri: `catalogue://tools/${name}`,
      name,
      title,
    }));
  },
  async read({ name }) {
    const entry = catalogue.get(name);
    if (entry === undefined) throw new ToolError('NOT_FOUND', `No tool is published as ${name}.`);
    return { text: JSON.stringify(entry, null, 2) };
  },
});
