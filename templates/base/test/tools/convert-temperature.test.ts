import { describe, expect, it } from 'vitest';
import { convertTemperatureV1 } from '../../src/tools/convert-temperature/v1.js';
import { convertTemperatureV2 } from '../../src/tools/convert-temperature/v2.js';
import { callTool } from '../helpers/call-tool.js';
import { envelopeOf } from '../helpers/results.js';

describe('convert_temperature', () => {
  it('v2 converts between any two units', async () => {
    const result = await callTool(convertTemperatureV2, { value: 100, from: 'celsius', to: 'fahrenheit' });
    expect(result.structuredContent).toEqual({ value: 212, unit: 'fahrenheit' });
    const kelvin = await callTool(convertTemperatureV2, { value: 32, from: 'fahrenheit', to: 'kelvin' });
    expect(kelvin.structuredContent).toEqual({ value: 273.15, unit: 'kelvin' });
  });

  it('v2 refuses temperatures below absolute zero and unknown units', async () => {
    const cold = await callTool(convertTemperatureV2, { value: -300, from: 'celsius', to: 'kelvin' });
    expect(envelopeOf(cold)).toMatchObject({ error: 'INVALID_ARGUMENT', retryable: false });
    const unit = await callTool(convertTemperatureV2, { value: 1, from: 'rankine', to: 'kelvin' });
    expect(envelopeOf(unit)).toMatchObject({ error: 'INVALID_ARGUMENT' });
    expect(envelopeOf(unit).message).toContain('from:');
  });

  it('v1 still answers, deprecated in favour of v2', async () => {
    const result = await callTool(convertTemperatureV1, { celsius: 100 });
    expect(result.structuredContent).toEqual({ fahrenheit: 212 });
    expect(convertTemperatureV1.deprecated?.replacedBy).toBe('convert_temperature_v2');
    expect(
      result.logs.some((line) => line.level === 'warn' && line.replacedBy === 'convert_temperature_v2'),
    ).toBe(true);
  });
});
