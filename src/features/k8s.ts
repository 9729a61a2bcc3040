import type { FeatureManifest } from '../core/feature.js';

export const k8s: FeatureManifest = {
  id: 'k8s',
  title: 'Kubernetes manifests',
  hint: 'Deployment with probes, Service, autoscaler, disruption budget (kubectl apply -k deploy/k8s)',
  enabled: (a) => a.k8s,
  nextSteps: (a) => [
    'Kubernetes: set the image and ALLOWED_HOSTS, create the Secret, `kubectl apply -k deploy/k8s` (README, "Run on Kubernetes").',
    ...(a.rateLimit === 'memory'
      ? [
          'Kubernetes: rate limits are per replica with the memory store; Redis is required for exact limits across replicas (--rate-limit redis).',
        ]
      : []),
  ],
};
