/** Every rule fires on the one thing it checks, and on nothing in a namespace that does it right. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { K8sObject } from '../../src/render/k8s-object.js';
import { ALL_RULES, lint } from '../../src/policy/lint.js';
import { fixFor } from '../../src/policy/rule.js';
import { goodObjects, located } from './good-objects.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const byKind = (objects: K8sObject[], kind: string) => objects.find((o) => o.kind === kind) as Json;
const pod = (o: K8sObject[]) => byKind(o, 'Deployment')['spec'].template.spec;
const container = (o: K8sObject[]) => pod(o).containers[0];
const without = (kind: string) => (o: K8sObject[]) => {
  o.splice(o.indexOf(o.find((x) => x.kind === kind)!), 1);
};

/** Adds an HPA on the Deployment named `target`. */
const addHpa = (target: string, minReplicas: number) => (o: K8sObject[]) => {
  o.push({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas,
      maxReplicas: 5,
    },
  });
};

/** rule id → how to break the good namespace for it, and whether only that rule may fire. */
const BREAKS: Record<string, [(o: K8sObject[]) => void, 'only' | 'among']> = {
  'no-containers': [(o) => (pod(o).containers = []), 'only'],
  'readiness-probe': [(o) => delete container(o).readinessProbe, 'only'],
  'liveness-probe': [(o) => delete container(o).livenessProbe, 'only'],
  'probe-port': [(o) => (container(o).readinessProbe.httpGet.port = 'htp'), 'only'],
  'liveness-equals-readiness': [(o) => (container(o).livenessProbe = container(o).readinessProbe), 'only'],
  'cpu-requests': [(o) => delete container(o).resources.requests.cpu, 'only'],
  'memory-requests': [(o) => delete container(o).resources.requests.memory, 'only'],
  'memory-limit': [(o) => delete container(o).resources.limits.memory, 'only'],
  'image-tag': [(o) => (container(o).image = 'registry.example.com/api:latest'), 'only'],
  'image-pull-policy': [(o) => (container(o).imagePullPolicy = 'Always'), 'only'],
  'run-as-non-root': [(o) => delete container(o).securityContext.runAsNonRoot, 'only'],
  'read-only-root-filesystem': [(o) => (container(o).securityContext.readOnlyRootFilesystem = false), 'only'],
  privileged: [(o) => (container(o).securityContext.privileged = true), 'only'],
  'privilege-escalation': [(o) => delete container(o).securityContext.allowPrivilegeEscalation, 'only'],
  'dangerous-capabilities': [(o) => (container(o).securityContext.capabilities.add = ['SYS_ADMIN']), 'only'],
  'host-path': [
    (o) => (pod(o).volumes = [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }]),
    'only',
  ],
  'host-namespaces': [(o) => (pod(o).hostPID = true), 'only'],
  'host-port': [(o) => (container(o).ports[0].hostPort = 8080), 'only'],
  'seccomp-profile': [(o) => delete pod(o).securityContext, 'only'],
  'plain-env-secret': [(o) => (container(o).env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]), 'only'],
  'service-account-token': [(o) => delete pod(o).automountServiceAccountToken, 'only'],
  'pdb-missing': [without('PodDisruptionBudget'), 'only'],
  'pdb-blocks-eviction': [
    (o) =>
      (byKind(o, 'PodDisruptionBudget')['spec'] = {
        minAvailable: 3,
        selector: byKind(o, 'PodDisruptionBudget')['spec'].selector,
      }),
    'only',
  ],
  'min-replicas': [(o) => (byKind(o, 'Deployment')['spec'].replicas = 1), 'only'],
  'anti-affinity': [(o) => delete pod(o).topologySpreadConstraints, 'only'],
  'critical-max-unavailable': [
    (o) => {
      const d = byKind(o, 'Deployment');
      d['metadata'].annotations = { 'slipway.dev/critical': 'true' };
      d['spec'].strategy.rollingUpdate.maxUnavailable = 1;
    },
    'only',
  ],
  'rolling-update-strategy': [
    (o) => (byKind(o, 'Deployment')['spec'].strategy = { type: 'Recreate' }),
    'only',
  ],
  'network-policy-missing': [without('NetworkPolicy'), 'only'],
  'service-selector': [
    (o) => (byKind(o, 'Service')['spec'].selector = { 'app.kubernetes.io/name': 'apii' }),
    'only',
  ],
  'hpa-min-replicas': [addHpa('api', 1), 'only'],
  'scale-target': [addHpa('ap', 3), 'only'],
  'slo-missing': [without('PrometheusRule'), 'only'],
  'deprecated-api': [(o) => (byKind(o, 'PodDisruptionBudget')['apiVersion'] = 'policy/v1beta1'), 'only'],
  'default-namespace': [(o) => (byKind(o, 'Service')['metadata'].namespace = 'default'), 'among'],
  'suppression-reason': [
    (o) =>
      (byKind(o, 'Deployment')['metadata'].annotations = { 'lint.slipway.dev/ignore-privileged': 'true' }),
    'only',
  ],
};

const ruleIds = (objects: K8sObject[]) =>
  [...new Set(lint(located(objects)).findings.map((f) => f.rule.id))].sort();

describe('lint rules', () => {
  it('there are at least 25 rules, each with an id, rationale and fix, and each is tested below', () => {
    assert.ok(ALL_RULES.length >= 25);
    for (const rule of ALL_RULES) {
      assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(rule.rationale.length > 40 && rule.fix.length > 20, rule.id);
    }
    assert.deepEqual(Object.keys(BREAKS).sort(), ALL_RULES.map((r) => r.id).sort());
  });

  it('a namespace that does everything right has no findings', () => {
    assert.deepEqual(ruleIds(goodObjects()), []);
  });

  for (const [id, [breakIt, mode]] of Object.entries(BREAKS))
    it(`${id} fires on its violation`, () => {
      const objects = goodObjects();
      breakIt(objects);
      const ids = ruleIds(objects);
      if (mode === 'only') assert.deepEqual(ids, [id]);
      else assert.ok(ids.includes(id), ids.join(', '));
    });

  it('an annotation with a reason suppresses one rule on one object; a placeholder reason does not', () => {
    const objects = goodObjects();
    const d = byKind(objects, 'Deployment');
    container(objects).securityContext.privileged = true;
    d['metadata'].annotations = {
      'lint.slipway.dev/ignore-privileged': 'CNI agent: programs the node network',
    };
    const findings = lint(located(objects)).findings;
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.suppressed, 'CNI agent: programs the node network');

    d['metadata'].annotations = { 'lint.slipway.dev/ignore-privileged': 'ok' };
    const again = lint(located(objects)).findings;
    assert.deepEqual(again.map((f) => [f.rule.id, Boolean(f.suppressed)]).sort(), [
      ['privileged', false],
      ['suppression-reason', false],
    ]);
  });

  it('third-party YAML: what the cluster does, not what a stricter reading would say', () => {
    // A numeric probe port needs no declaration (the kubelet probes the number); a misspelt name does.
    const numeric = goodObjects();
    container(numeric).readinessProbe.httpGet.port = 9090;
    assert.deepEqual(ruleIds(numeric), []);
    // automountServiceAccountToken: true is a decision, not an oversight.
    const mounted = goodObjects();
    pod(mounted).automountServiceAccountToken = true;
    assert.deepEqual(ruleIds(mounted), []);
    // Init containers answer the resource and privilege rules too.
    const init = goodObjects();
    pod(init).initContainers = [{ name: 'migrate', image: 'registry.example.com/api:1.4.2' }];
    assert.deepEqual(
      lint(located(init))
        .findings.filter((f) => f.message.includes('"migrate"'))
        .map((f) => f.rule.id)
        .sort(),
      ['cpu-requests', 'dangerous-capabilities', 'memory-limit', 'memory-requests', 'privilege-escalation'],
    );
    // spec: null is a finding, not a silent pass.
    const nullSpec = goodObjects();
    byKind(nullSpec, 'Deployment')['spec'] = null;
    assert.ok(ruleIds(nullSpec).includes('no-containers'));
  });

  it('a Service may select the pods an operator makes from a custom resource', () => {
    const objects = goodObjects();
    objects.push(
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Prometheus',
        metadata: { name: 'k8s', namespace: 'shop' },
        spec: { replicas: 2 },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'prometheus-operated', namespace: 'shop' },
        spec: { selector: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ port: 9090 }] },
      },
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace: 'shop' },
        spec: { template: { metadata: { labels: { widget: 'w' } } } },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'widget', namespace: 'shop' },
        spec: { selector: { widget: 'w' }, ports: [{ port: 80 }] },
      },
    );
    assert.deepEqual(ruleIds(objects), []);
    // Not a blanket pass: a selector no operator's labels match is still reported.
    (objects.at(-1) as Json).spec.selector = { widget: 'x' };
    assert.deepEqual(ruleIds(objects), ['service-selector']);
    // The custom resources themselves are not counted as checked.
    assert.deepEqual(lint(located(objects)).unchecked, { Prometheus: 1, Widget: 1 });
  });

  it("gives the fix in Kubernetes terms for manifests Slipway did not render, in the spec's for its own", () => {
    for (const rule of ALL_RULES)
      if (/services\.<name>|with Slipway|in the spec/.test(rule.fix))
        assert.ok(
          rule.manifestFix && !/services\.<name>|with Slipway|in the spec/.test(rule.manifestFix),
          `${rule.id} needs a fix in Kubernetes terms`,
        );
    const foreign = goodObjects();
    delete container(foreign).readinessProbe;
    const [finding] = lint(located(foreign)).findings;
    assert.equal(fixFor(finding!.rule, finding!.subject.object), finding!.rule.manifestFix);
    const ours = goodObjects();
    const deployment = byKind(ours, 'Deployment');
    deployment['metadata'].labels = {
      ...deployment['metadata'].labels,
      'app.kubernetes.io/managed-by': 'slipway',
    };
    delete container(ours).readinessProbe;
    const [own] = lint(located(ours)).findings;
    assert.match(fixFor(own!.rule, own!.subject.object), /services\.<name>\.health\.readiness/);
  });
});
