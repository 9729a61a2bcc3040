import { z } from 'zod';
import type { ToolDefinition } from './tool.js';

export type JsonSchema = Record<string, unknown>;

export interface ToolSchemas {
  input: JsonSchema;
  /** Absent for a tool that returns content blocks rather than structured data. */
  output?: JsonSchema;
}

/**
 * The JSON Schemas a tool version is published with: what `tools/list` advertises and what tools.lock.json
 * freezes. One function for both, so the lock checks exactly what clients see. Draft 2020-12, as the SDK uses.
 */
export function toolSchemas(tool: Pick<ToolDefinition, 'input' | 'output'>): ToolSchemas {
  const schemas: ToolSchemas = {
    input: z.toJSONSchema(tool.input, { target: 'draft-2020-12', io: 'input' }),
  };
  if (tool.output) schemas.output = z.toJSONSchema(tool.output, { target: 'draft-2020-12', io: 'output' });
  return schemas;
}
