import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoTime } from '../../src/core/logger.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('isoTime: the log line timestamp, formatted once per second', () => {
  it("writes exactly what pino's own isoTime writes, at every millisecond shape and across seconds", () => {
    vi.useFakeTimers();
    const start = Date.parse('2026-12-31T23:59:58.000Z');
    // 0, 1- and 2-digit milliseconds, the last of a second, and the turn of a year.
    for (const offset of [0, 7, 42, 999, 1000, 1005, 1999, 2000, 2001, 61_234]) {
      vi.setSystemTime(start + offset);
      expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    }
    vi.setSystemTime(start + 2000);
    expect(isoTime()).toBe(',"time":"2027-01-01T00:00:00.000Z"');
  });
});
