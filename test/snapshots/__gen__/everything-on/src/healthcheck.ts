/**
 * `node dist/healthcheck.js`: the container HEALTHCHECK, for images without curl. Exits 0 when /healthz
 * answers 200 within 3 s, 1 otherwise. It reads HOST/PORT directly instead of loading the full config:
 * it runs every few seconds and must stay cheap, and a config problem already stops the server itself.
 */
const WILDCARDS = ['', '0.0.0.0', '::'];
const host = WILDCARDS.includes(process.env.HOST ?? '') ? '127.0.0.1' : (process.env.HOST as string);
const port = process.env.PORT ?? '3000';
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  process.exit(response.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
