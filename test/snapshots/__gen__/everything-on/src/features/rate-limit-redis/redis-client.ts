import { createClient, defineScript } from 'redis';
import type { RateLimitDecision } from '../../core/rate-limit.js';

/**
 * The sliding-window log, run atomically by Redis. It reads Redis's own clock (TIME), so replicas with skewed
 * clocks still agree, and it gives the key a TTL of one window, so idle keys delete themselves. Same rule as
 * the in-memory twin: a hit `window` ms old has left the window; a refusal waits until the oldest hit leaves.
 * Replies {allowed 1|0, remaining, retryAfterMs}.
 */
const SLIDING_WINDOW_HIT = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] == nil then return {0, 0, window} end
return {0, 0, tonumber(oldest[2]) + window - now}
`,
  parseCommand(parser, key: string, windowMs: number, limit: number, member: string) {
    parser.pushKey(key);
    parser.push(String(windowMs), String(limit), member);
  },
  transformReply(reply): RateLimitDecision {
    const [allowed, remaining = 0, retryAfterMs = 0] = reply as unknown as number[];
    return { allowed: allowed === 1, remaining, retryAfterMs };
  },
});

/**
 * Compare-and-set of one task record (tasks/*): writes the new JSON only if the key still holds exactly what
 * the writer read, with the task's remaining TTL. Replies 1 when written, 0 when someone wrote first.
 */
const TASK_SWAP = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`,
  parseCommand(parser, key: string, expected: string, next: string, ttlMs: number) {
    parser.pushKey(key);
    parser.push(expected, next, String(ttlMs));
  },
  transformReply: (reply) => (reply as unknown as number) === 1,
});

/** Connect attempts give up after this long; calls never wait for them (the offline queue is off). */
export const CONNECT_TIMEOUT_MS = 2000;

export function createRedisClient(url: string) {
  return createClient({
    url,
    scripts: { slidingWindowHit: SLIDING_WINDOW_HIT, swapTask: TASK_SWAP },
    // While disconnected, fail each call at once (and apply the failure policy) instead of queueing it.
    disableOfflineQueue: true,
    // If Redis hangs with the socket open, waiting commands pile up: bound them (each call is also timed out).
    commandsQueueMaxLength: 10_000,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Reconnect forever, backing off to at most 1 s: limits are enforced again within about a second of
      // Redis coming back, without any restart.
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 1000),
    },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;

/** Rejects when `promise` takes longer than `ms`: for connecting, probing and closing, never for a limit check. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Rejecting from setImmediate lets this loop turn's I/O run first: after a stall (GC, a busy handler) a
    // reply that arrived in time still wins instead of counting as an outage.
    const expire = () => reject(new Error(`Redis did not answer within ${ms} ms`));
    timer = setTimeout(() => setImmediate(expire), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Waits for `promise` until `signal` aborts (the client cancelling, shutdown) or `deadline` (a
 * `performance.now()` instant: the call's own deadline) passes. A limit check waits this long and no less: a
 * reply that is merely slow still decides the call.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  deadline?: number,
): Promise<T> {
  if (signal === undefined && deadline === undefined) return promise;
  const ended = () => new Error('the call ended before Redis answered');
  if (signal?.aborted || (deadline !== undefined && deadline <= performance.now()))
    return Promise.reject(ended());
  let onAbort: () => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(ended());
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== undefined) timer = setTimeout(onAbort, deadline - performance.now());
  });
  return Promise.race([promise, aborted]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  });
}
