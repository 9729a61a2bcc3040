import { ProtocolError, ProtocolErrorCode, type Tool } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config.js';
import { envelope } from './errors.js';
import type { ToolDefinition } from './tool.js';
import { type ToolSpec, toolSpec } from './tool-operation.js';
import { toolSchemas } from './tool-schema.js';
import { deprecatedListing, nextSunset } from './versioning.js';

/** A tool prepared once at start-up: its operation and its `tools/list` entry (JSON Schemas converted once). */
export interface ToolEntry {
  spec: ToolSpec;
  listing: Tool;
}

function toolEntry(spec: ToolSpec): ToolEntry {
  const { tool, name } = spec;
  const schemas = toolSchemas(tool);
  const listing: Tool = {
    name,
    title: tool.title,
    description: tool.description,
    inputSchema: schemas.input as Tool['inputSchema'],
  };
  if (schemas.output) listing.outputSchema = schemas.output as Tool['outputSchema'];
  if (tool.annotations) listing.annotations = tool.annotations;
  if (tool.deprecated) Object.assign(listing, deprecatedListing(tool.description, tool.deprecated));
  return { spec, listing };
}

/** The published tools by name. Retired versions stay callable (TOOL_RETIRED names the replacement) but unlisted. */
export class ToolCatalog {
  readonly entries: readonly ToolEntry[];
  readonly #byName = new Map<string, ToolEntry>();

  constructor(tools: readonly ToolDefinition[], config: BaseConfig, logger: Logger) {
    this.entries = tools.map((tool) => toolEntry(toolSpec(tool, config, logger)));
    for (const entry of this.entries) {
      const { name } = entry.spec;
      if (this.#byName.has(name))
        throw new Error(`Two tools are published as ${name}: give one of them another name or version`);
      this.#byName.set(name, entry);
    }
  }

  /** The entries listed now: a deprecated version leaves the list at its sunset. */
  listed(now = Date.now()): ToolEntry[] {
    return this.entries.filter((e) => e.spec.sunsetMs === undefined || now < e.spec.sunsetMs);
  }

  /** When the list next changes (the earliest sunset still ahead), if ever. */
  nextChange(now = Date.now()): number | undefined {
    return nextSunset(
      this.entries.map((e) => e.spec.sunsetMs),
      now,
    );
  }

  /** The tool published as `name`, or the protocol error a call to an unknown tool gets. */
  get(name: string): ToolEntry {
    const found = this.#byName.get(name);
    if (found) return found;
    const listed = this.listed()
      .filter((e) => !e.spec.tool.scopes?.length)
      .map((e) => e.spec.name);
    throw unknownTool(name, listed);
  }
}

/**
 * A call to a tool that does not exist is a protocol error (-32602), as the spec asks ("Unknown tools" are
 * protocol errors, not tool results). The message is written for the model that made the call: it names the
 * tools it can call and, when the name lacks its version or names another one, the version it likely meant.
 * Tools that need a scope are left out of it, as they are left out of lists for callers without the scope.
 */
function unknownTool(name: string, listed: readonly string[]): ProtocolError {
  const base = (tool: string) => tool.replace(/_v\d+$/, '');
  const guess = listed.filter((tool) => base(tool) === base(name)).at(-1);
  const message = `Unknown tool "${name}".${guess ? ` Did you mean ${guess}?` : ''} Tools: ${listed.join(', ')}.`;
  return new ProtocolError(ProtocolErrorCode.InvalidParams, message, {
    ...envelope('NOT_FOUND', message),
    tools: listed,
  });
}
