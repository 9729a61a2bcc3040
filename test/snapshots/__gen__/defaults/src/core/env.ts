import { z } from 'zod';

/**
 * Building blocks for environment schemas (config.ts and every feature's `env`). Each one carries a
 * description of what it expects: config.ts prints it when a value is wrong, so an operator reads
 * "PORT: expected a TCP port (0-65535), got "80a"" instead of a zod issue code.
 */

/** A whole number from the environment (digits only, so `1e3` or `10ms` are rejected rather than guessed). */
function integer(min: number, max: number) {
  return z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(min).max(max));
}

// `.describe()` goes last: config.ts reads the description off the outermost schema.
export const port = (fallback: number) =>
  integer(0, 65_535).default(fallback).describe('a TCP port (0-65535)');

export const milliseconds = (fallback: number) =>
  integer(0, 86_400_000).default(fallback).describe('a duration in milliseconds (digits only, e.g. 5000)');

export const bytes = (fallback: number) =>
  integer(1, 2 ** 31)
    .default(fallback)
    .describe('a size in bytes (digits only, e.g. 1048576)');

export const positiveInt = (fallback: number, expected: string) =>
  integer(1, Number.MAX_SAFE_INTEGER).default(fallback).describe(expected);

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).describe(`one of ${values.join(', ')}`);

export const url = () => z.url().describe('an absolute URL such as https://api.example.com');

/** Comma-separated values, trimmed, empties dropped: `a, b,,c` → ['a', 'b', 'c']. */
export const list = (expected: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .default([])
    .describe(expected);

export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .default(fallback)
    .describe('true or false');
