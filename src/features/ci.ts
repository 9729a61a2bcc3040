import type { FeatureManifest } from '../core/feature.js';

export const ci: FeatureManifest = {
  id: 'ci',
  title: 'CI workflow',
  hint: 'GitHub Actions: install, type-check, lint, test, tool-schema check, image build',
  enabled: () => true,
};
