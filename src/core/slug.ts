/**
 * A name safe where npm names are not: systemd unit files, Kubernetes `metadata.name` (a DNS-1123 label,
 * at most 63 chars), Docker image names. `@acme/Weather.API` → `weather-api`.
 */
export function slugify(name: string): string {
  const slug = name
    .replace(/^@[^/]*\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug === '' ? 'mcp-server' : slug;
}
