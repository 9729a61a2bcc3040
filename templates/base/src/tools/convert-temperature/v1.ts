import { z } from 'zod';
import { defineTool } from '../../core/tool.js';

/**
 * The first published version: Celsius to Fahrenheit only. It is kept, deprecated, so agents pinned to it
 * keep working until the sunset; after that date it is unlisted and calls get TOOL_RETIRED naming v2.
 */
export const convertTemperatureV1 = defineTool({
  name: 'convert_temperature',
  version: 1,
  title: 'Convert Celsius to Fahrenheit',
  description: 'Converts a temperature in degrees Celsius to degrees Fahrenheit.',
  input: z.object({ celsius: z.number().describe('Temperature in degrees Celsius') }),
  output: z.object({ fahrenheit: z.number() }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  deprecated: { replacedBy: 'convert_temperature_v2', sunset: '2027-12-31' },
  async handler({ celsius }) {
    return { fahrenheit: (celsius * 9) / 5 + 32 };
  },
});
