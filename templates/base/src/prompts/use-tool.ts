import { z } from 'zod';
import { embeddedResource, text } from '../core/content.js';
import { ToolError } from '../core/errors.js';
import { definePrompt, userMessage } from '../core/prompt.js';
import { publishedName } from '../core/tool.js';
import { toolSchemas } from '../core/tool-schema.js';
import { tools } from '../tools/index.js';

const published = new Map(tools.map((tool) => [publishedName(tool), tool]));

/**
 * "Use this tool for this task": the tool's published document embedded as a resource, then the task. A
 * user picks it from the client's prompt menu; the `tool` argument completes to published tool names.
 */
export const useToolV1 = definePrompt({
  name: 'use_tool',
  version: 1,
  title: 'Use a tool',
  description: 'Asks the model to carry out a task with one tool of this server, given that tool’s schemas.',
  args: z.object({
    tool: z.string().describe('The published tool name, e.g. convert_temperature_v2'),
    task: z.string().describe('What the tool should be used for'),
  }),
  complete: {
    tool: (typed) => [...published.keys()].filter((name) => name.startsWith(typed)),
  },
  async handler({ tool, task }) {
    const definition = published.get(tool);
    if (definition === undefined) {
      throw new ToolError('INVALID_ARGUMENT', `No tool is published as ${tool}; complete the tool argument.`);
    }
    const document = { name: tool, description: definition.description, ...toolSchemas(definition) };
    return [
      userMessage(
        embeddedResource(`catalogue://tools/${tool}`, { text: JSON.stringify(document) }, 'application/json'),
      ),
      userMessage(text(`Use the tool ${tool} (described above) to do this: ${task}`)),
    ];
  },
});
