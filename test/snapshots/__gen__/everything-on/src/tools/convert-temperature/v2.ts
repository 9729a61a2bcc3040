import { z } from 'zod';
import { ToolError } from '../../core/errors.js';
import { defineTool } from '../../core/tool.js';

const Unit = z.enum(['celsius', 'fahrenheit', 'kelvin']);
type Unit = z.infer<typeof Unit>;

const toKelvin: Record<Unit, (value: number) => number> = {
  celsius: (c) => c + 273.15,
  fahrenheit: (f) => ((f - 32) * 5) / 9 + 273.15,
  kelvin: (k) => k,
};
const fromKelvin: Record<Unit, (kelvin: number) => number> = {
  celsius: (k) => k - 273.15,
  fahrenheit: (k) => ((k - 273.15) * 9) / 5 + 32,
  kelvin: (k) => k,
};

/**
 * A pure tool: no I/O, so the default 10 s deadline is plenty and the annotations tell clients it is safe
 * to call again. v2 changed the input schema (any unit to any unit), which is why it is a new version.
 */
export const convertTemperatureV2 = defineTool({
  name: 'convert_temperature',
  version: 2,
  title: 'Convert a temperature',
  description: 'Converts a temperature between Celsius, Fahrenheit and Kelvin.',
  input: z.object({
    value: z.number().describe('The temperature to convert'),
    from: Unit.describe('Unit of `value`'),
    to: Unit.describe('Unit to convert to'),
  }),
  output: z.object({ value: z.number(), unit: Unit }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler({ value, from, to }) {
    const kelvin = toKelvin[from](value);
    if (kelvin < 0) {
      throw new ToolError('INVALID_ARGUMENT', `${value} ${from} is below absolute zero`);
    }
    // Rounded so 100 celsius → 212 fahrenheit, not 211.99999999999997.
    return { value: Math.round(fromKelvin[to](kelvin) * 1e6) / 1e6, unit: to };
  },
});
