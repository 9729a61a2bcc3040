import type { FeatureManifest } from '../core/feature.js';

export const otel: FeatureManifest = {
  id: 'otel',
  title: 'OpenTelemetry traces',
  enabled: (a) => a.otel,
};
