import { describe, expect, test } from 'vitest';
import { FEATURES } from '../../src/features/index.js';
import { configDefaultMs, documentedEnv, serverRoutes } from './facts.js';
import { validateManifest } from './k8s-schema.js';
import { type Case, matrix, SLUG, variants } from './matrix.js';
import { parseYaml } from './yaml.js';

const DIR = 'deploy/k8s/';
const RESOURCES = [
  'configmap.yaml',
  'deployment.yaml',
  'hpa.yaml',
  'networkpolicy.yaml',
  'pdb.yaml',
  'service.yaml',
];

// Only the fields these checks read; the schema validation covers the rest.
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string; optional?: boolean } }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown> & { capabilities: { drop: string[] } };
}
interface DeploymentDoc {
  metadata: { name: string };
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: Record<string, unknown>;
        containers: Container[];
      };
    };
  };
}

const k8sCases = () => matrix().filter((c) => c.answers.k8s);
const doc = <T>(c: Case, file: string): T =>
  parseYaml<T>(c.tree.get(DIR + file) ?? '', `${c.label}: ${file}`);
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('Kubernetes manifests', () => {
  test('render for every case with --k8s, and only then', () => {
    for (const c of matrix()) {
      const files = [...c.tree.keys()].filter((path) => path.startsWith(DIR)).map((p) => p.slice(DIR.length));
      expect(files, c.label).toEqual(
        c.answers.k8s
          ? [
              'configmap.yaml',
              'deployment.yaml',
              'hpa.yaml',
              'kustomization.yaml',
              'networkpolicy.yaml',
              'pdb.yaml',
              'service.yaml',
            ]
          : [],
      );
    }
    console.log(`k8s: ${k8sCases().length} cases`);
  });

  const manifests = variants((path) => path.startsWith(DIR) && path !== `${DIR}kustomization.yaml`);

  test.each(manifests.map((v) => [v.label, v] as const))(
    '%s: valid against the Kubernetes schema',
    (_, v) => {
      const manifest = parseYaml<{ apiVersion: string; kind: string; metadata: { name: string } }>(
        v.text,
        v.path,
      );
      expect(validateManifest(manifest)).toEqual([]);
      expect(manifest.metadata.name).toBe(SLUG);
    },
  );

  test('the schema check catches unknown and mistyped fields', () => {
    const manifest = parseYaml<Record<string, unknown>>(
      k8sCases()[0]?.tree.get(`${DIR}deployment.yaml`) ?? '',
      'deployment',
    );
    const broken = JSON.parse(
      JSON.stringify(manifest)
        .replace('"readinessProbe"', '"readinesProbe"')
        .replace('"containerPort":3000', '"containerPort":"3000"'),
    );
    const problems = validateManifest(broken);
    expect(problems.join('\n')).toMatch(/readinesProbe is not a field/);
    expect(problems.join('\n')).toMatch(/containerPort must be integer/);
  });

  test('kustomization lists every manifest and sets the Deployment image', () => {
    for (const c of k8sCases()) {
      const kustomization = doc<{ resources: string[]; images: { name: string; newName: string }[] }>(
        c,
        'kustomization.yaml',
      );
      expect([...kustomization.resources].sort(), c.label).toEqual(RESOURCES);
      const deployment = doc<DeploymentDoc>(c, 'deployment.yaml');
      const images = deployment.spec.template.spec.containers.map((container) => container.image);
      expect(
        kustomization.images.map((image) => image.name),
        c.label,
      ).toEqual(images);
    }
  });

  test('the NetworkPolicy selects the pods, opens the MCP port to all and the metrics port only to monitoring', () => {
    interface Rule {
      from?: { namespaceSelector: { matchLabels: Record<string, string> } }[];
      ports: { port: string }[];
    }
    for (const c of k8sCases()) {
      const policy = doc<{ spec: { podSelector: { matchLabels: Record<string, string> }; ingress: Rule[] } }>(
        c,
        'networkpolicy.yaml',
      );
      const pod = doc<DeploymentDoc>(c, 'deployment.yaml').spec.template;
      expect(matches(policy.spec.podSelector.matchLabels, pod.metadata.labels), c.label).toBe(true);
      const named = pod.spec.containers.flatMap((container) => container.ports.map((port) => port.name));
      const open = policy.spec.ingress.filter((rule) => rule.from === undefined).flatMap((r) => r.ports);
      expect(
        open.map((port) => port.port),
        c.label,
      ).toEqual(['http']);
      const restricted = policy.spec.ingress.filter((rule) => rule.from !== undefined);
      expect(
        restricted.flatMap((rule) => rule.ports.map((port) => port.port)),
        c.label,
      ).toEqual(c.answers.metrics ? ['metrics'] : []);
      // Every port the policy names is a port the pod declares: a typo would silently block it.
      for (const rule of policy.spec.ingress)
        for (const { port } of rule.ports) expect(named).toContain(port);
    }
  });

  test('probes ask the paths the generated server serves, on its port', () => {
    for (const c of k8sCases()) {
      const deployment = doc<DeploymentDoc>(c, 'deployment.yaml');
      const config = doc<{ data: Record<string, string> }>(c, 'configmap.yaml');
      const [container] = deployment.spec.template.spec.containers as [Container];
      expect(container.startupProbe.httpGet.path, c.label).toBe('/healthz');
      expect(container.livenessProbe.httpGet.path, c.label).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path, c.label).toBe('/readyz');
      for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
        expect(
          serverRoutes(c.tree, probe.httpGet.path),
          `${c.label}: server routes ${probe.httpGet.path}`,
        ).toBe(true);
        const port = container.ports.find((p) => p.name === probe.httpGet.port);
        expect(port?.containerPort, c.label).toBe(Number(config.data.PORT));
      }
      expect(config.data.HOST).toBe('0.0.0.0');
      expect(config.data.MCP_TRANSPORT).toBe('http');
    }
  });

  test('pods run non-root on a read-only root file system, with resources and a grace period above the drain', () => {
    for (const c of k8sCases()) {
      const pod = doc<DeploymentDoc>(c, 'deployment.yaml').spec.template.spec;
      const config = doc<{ data: Record<string, string> }>(c, 'configmap.yaml');
      // uid 1000 is the `node` user the Dockerfile switches to.
      expect(pod.securityContext, c.label).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(c.tree.get('Dockerfile'), c.label).toMatch(/^USER node$/m);
      const [container] = pod.containers as [Container];
      expect(container.securityContext, c.label).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits)).toEqual(['memory']);
      const delay = Number(config.data.SHUTDOWN_DELAY_MS ?? configDefaultMs(c.tree, 'SHUTDOWN_DELAY_MS'));
      const drain = Number(config.data.DRAIN_TIMEOUT_MS ?? configDefaultMs(c.tree, 'DRAIN_TIMEOUT_MS'));
      expect(pod.terminationGracePeriodSeconds * 1000, c.label).toBeGreaterThan(delay + drain);
    }
  });

  test('env comes from the ConfigMap and the Secret, and names only variables the server reads', () => {
    for (const c of k8sCases()) {
      const [container] = doc<DeploymentDoc>(c, 'deployment.yaml').spec.template.spec.containers as [
        Container,
      ];
      expect(container.envFrom, c.label).toEqual([
        { configMapRef: { name: SLUG } },
        { secretRef: { name: SLUG, optional: true } },
      ]);
      const known = documentedEnv(c.tree);
      const keys = Object.keys(doc<{ data: Record<string, string> }>(c, 'configmap.yaml').data);
      expect(
        keys.filter((key) => !known.has(key)),
        `${c.label}: not in .env.example`,
      ).toEqual([]);
    }
  });

  test('Service, autoscaler and disruption budget select the Deployment’s pods', () => {
    for (const c of k8sCases()) {
      const deployment = doc<DeploymentDoc>(c, 'deployment.yaml');
      const labels = deployment.spec.template.metadata.labels;
      expect(matches(deployment.spec.selector.matchLabels, labels), c.label).toBe(true);
      const service = doc<{ spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>(
        c,
        'service.yaml',
      );
      expect(matches(service.spec.selector, labels), c.label).toBe(true);
      const names = deployment.spec.template.spec.containers.flatMap((ct) => ct.ports.map((p) => p.name));
      for (const port of service.spec.ports) expect(names, c.label).toContain(port.targetPort);
      const hpa = doc<{ spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } }>(
        c,
        'hpa.yaml',
      );
      expect(hpa.spec.scaleTargetRef, c.label).toMatchObject({
        kind: 'Deployment',
        name: deployment.metadata.name,
      });
      const pdb = doc<{ spec: { selector: { matchLabels: Record<string, string> } } }>(c, 'pdb.yaml');
      expect(matches(pdb.spec.selector.matchLabels, labels), c.label).toBe(true);
    }
  });

  test('--metrics: Prometheus scrapes the metrics port the ConfigMap sets', () => {
    const cases = k8sCases().filter((c) => c.answers.metrics);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const template = doc<DeploymentDoc>(c, 'deployment.yaml').spec.template;
      const config = doc<{ data: Record<string, string> }>(c, 'configmap.yaml');
      const port = template.spec.containers[0]?.ports.find((p) => p.name === 'metrics');
      expect(port?.containerPort, c.label).toBe(Number(config.data.METRICS_PORT));
      expect(template.metadata.annotations?.['prometheus.io/port'], c.label).toBe(config.data.METRICS_PORT);
    }
  });

  test('with the memory rate-limit store, README and next steps say Redis is required across replicas', () => {
    const k8s = FEATURES.find((f) => f.id === 'k8s');
    for (const c of k8sCases()) {
      const memory = c.answers.rateLimit === 'memory';
      const steps = (k8s?.nextSteps?.(c.answers) ?? []).join('\n');
      expect(/Redis is required/.test(steps), c.label).toBe(memory);
      const readme = c.tree.get('README.md') ?? '';
      expect(readme, c.label).toMatch(/## Run on Kubernetes/);
      expect(/Rate limits with several replicas need Redis/.test(readme), c.label).toBe(memory);
      expect(/N replicas allow up to N times/.test(c.tree.get(`${DIR}hpa.yaml`) ?? ''), c.label).toBe(memory);
    }
  });
});
