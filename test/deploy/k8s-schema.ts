import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';

interface ModelClass {
  apiVersion: string;
  kind: string;
  prototype: { validate(): void };
}

const MODELS: readonly ModelClass[] = [
  Deployment,
  Service,
  ConfigMap,
  Secret,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  NetworkPolicy,
];

/**
 * Validates a manifest against the Kubernetes OpenAPI schema (kubernetes-models) and, stricter than the
 * schema's own validator, rejects fields the schema does not define: the compiled validator looks up every
 * property it knows, so any key it never read (or enumerated, for maps such as labels) is unknown — exactly
 * the misspelt `readinesProbe` that the API server would drop or reject.
 */
export function validateManifest(doc: { apiVersion?: unknown; kind?: unknown }): string[] {
  const model = MODELS.find((m) => m.apiVersion === doc.apiVersion && m.kind === doc.kind);
  if (!model) return [`no schema for ${String(doc.apiVersion)} ${String(doc.kind)}`];

  const read = new Map<object, Set<PropertyKey>>();
  const enumerated = new Set<object>();
  const watch = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (!read.has(value)) read.set(value, new Set());
    return new Proxy(value, {
      get(target, key) {
        read.get(target)?.add(key);
        return watch(Reflect.get(target, key));
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
  };

  const problems: string[] = [];
  try {
    model.prototype.validate.call(watch(doc));
  } catch (error) {
    problems.push((error as Error).message);
  }
  const walk = (value: unknown, path: string): void => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      const known = Array.isArray(value) || enumerated.has(value) || read.get(value)?.has(key);
      if (known) walk(child, `${path}/${key}`);
      else problems.push(`${path}/${key} is not a field of ${model.kind}`);
    }
  };
  walk(doc, '');
  return problems;
}
