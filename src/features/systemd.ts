import type { FeatureManifest } from '../core/feature.js';
import { slugify } from '../core/slug.js';

export const systemd: FeatureManifest = {
  id: 'systemd',
  title: 'systemd unit',
  hint: 'hardened service unit (DynamicUser, read-only system, syscall filter)',
  enabled: (a) => a.systemd,
  nextSteps: (a) => [
    `systemd: install deploy/${slugify(a.name)}.service as the README's "Run under systemd" shows.`,
  ],
};
