/** The medical platform's objects match its document (shared/seeds/002, sections 3 and 5). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SlipwayError } from '../../src/errors/index.js';
import { assertValid, renderPlatform } from '../../src/render/render-platform.js';
import { requireSpec } from '../../src/spec/index.js';
import { find, renderExample } from './render-helpers.js';

const objects = renderExample('medical-platform', ['production']);
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('render: medical platform as in its document', () => {
  it('api-gateway Deployment: 3 replicas, the document probes and resources, secrets by reference, no lost capacity', () => {
    const d = find(objects, 'Deployment', 'api-gateway') as Json;
    assert.equal(d['metadata'].namespace, 'medical-platform');
    assert.equal(d['spec'].replicas, 3);
    assert.deepEqual(d['spec'].strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    const c = d['spec'].template.spec.containers[0];
    assert.deepEqual(c.livenessProbe, {
      httpGet: { path: '/actuator/health', port: 'http' },
      initialDelaySeconds: 30,
      periodSeconds: 10,
    });
    assert.deepEqual(c.readinessProbe, {
      httpGet: { path: '/actuator/health/readiness', port: 'http' },
      initialDelaySeconds: 10,
      periodSeconds: 5,
    });
    assert.deepEqual(c.resources, {
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '2000m', memory: '2Gi' },
    });
    // In spec order: Kubernetes expands $(VAR) only from variables listed before.
    assert.deepEqual(
      c.env.map((e: Json) => e.name),
      ['SPRING_PROFILES_ACTIVE', 'JWT_SECRET', 'JWT_PUBLIC_KEY'],
    );
    const jwt = c.env.find((e: Json) => e.name === 'JWT_SECRET');
    assert.deepEqual(jwt, {
      name: 'JWT_SECRET',
      valueFrom: { secretKeyRef: { name: 'jwt-secret', key: 'secret' } },
    });
    assert.ok(c.lifecycle.preStop.sleep.seconds > 0, 'preStop drain');
    assert.match(d['spec'].template.metadata.annotations['slipway.dev/config-hash'], /^[0-9a-f]{16}$/);
    assert.equal(d['metadata'].annotations['secret.reloader.stakater.com/reload'], 'jwt-secret');
  });

  it('ml-inference: GPU limit, T4 node selector, GPU toleration, models PVC, ports 8500/8501', () => {
    const d = find(objects, 'Deployment', 'ml-inference') as Json;
    const pod = d['spec'].template.spec;
    assert.equal(pod.containers[0].image, 'tensorflow/serving:2.10.0-gpu');
    assert.equal(pod.containers[0].resources.limits['nvidia.com/gpu'], 1);
    assert.deepEqual(pod.nodeSelector, { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' });
    assert.deepEqual(pod.tolerations, [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    assert.deepEqual(pod.volumes, [
      { name: 'models', persistentVolumeClaim: { claimName: 'ml-models-pvc' } },
    ]);
    assert.deepEqual(
      pod.containers[0].ports.map((p: Json) => p.containerPort),
      [8500, 8501],
    );
  });

  it('HPA 3–10 at 70 % CPU and 80 % memory; KEDA on medical_data at queue length 10, 1–5 replicas', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'api-gateway') as Json;
    assert.equal(hpa['apiVersion'], 'autoscaling/v2');
    assert.deepEqual(hpa['spec'].scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api-gateway',
    });
    assert.equal(hpa['spec'].minReplicas, 3);
    assert.equal(hpa['spec'].maxReplicas, 10);
    assert.deepEqual(
      hpa['spec'].metrics.map((m: Json) => [m.resource.name, m.resource.target.averageUtilization]),
      [
        ['cpu', 70],
        ['memory', 80],
      ],
    );
    // KEDA may scale ml-inference to 1; its budget still allows that last pod's eviction.
    assert.deepEqual(
      (find(objects, 'PodDisruptionBudget', 'ml-inference') as Json)['spec'].maxUnavailable,
      1,
    );
    const keda = find(objects, 'ScaledObject', 'ml-inference') as Json;
    assert.equal(keda['spec'].minReplicaCount, 1);
    assert.equal(keda['spec'].maxReplicaCount, 5);
    assert.deepEqual(keda['spec'].triggers, [
      {
        type: 'rabbitmq',
        metadata: {
          queueName: 'medical_data',
          mode: 'QueueLength',
          value: '10',
          host: 'amqp://rabbitmq:5672',
        },
      },
    ]);
  });

  it('NetworkPolicy of api-gateway: in from ingress-nginx on 8080, out to exactly its dependencies', () => {
    const np = find(objects, 'NetworkPolicy', 'api-gateway') as Json;
    assert.deepEqual(np['spec'].policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(np['spec'].ingress[0], {
      from: [{ podSelector: { matchLabels: { app: 'ingress-nginx' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
    const targets = np['spec'].egress.map(
      (r: Json) => r.to[0].podSelector.matchLabels['app.kubernetes.io/name'],
    );
    assert.deepEqual(targets, ['auth-service', 'data-upload', 'ml-inference', 'redis']);
    const deny = find(objects, 'NetworkPolicy', 'default-deny') as Json;
    assert.deepEqual(deny['spec'], { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = find(objects, 'NetworkPolicy', 'allow-dns') as Json;
    assert.deepEqual(dns['spec'].egress[0].ports, [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
  });

  it('Certificate from ClusterIssuer letsencrypt-prod for both hosts into api-tls-secret, used by the Ingress', () => {
    const cert = find(objects, 'Certificate', 'api-gateway') as Json;
    assert.equal(cert['spec'].secretName, 'api-tls-secret');
    assert.deepEqual(cert['spec'].issuerRef, {
      name: 'letsencrypt-prod',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
    });
    assert.deepEqual(cert['spec'].dnsNames, ['api.med-diagnosis.com', '*.api.med-diagnosis.com']);
    const ingress = find(objects, 'Ingress', 'api-gateway') as Json;
    assert.equal(ingress['spec'].ingressClassName, 'nginx');
    assert.deepEqual(ingress['spec'].tls, [
      { hosts: ['api.med-diagnosis.com', '*.api.med-diagnosis.com'], secretName: 'api-tls-secret' },
    ]);
  });

  it('PrometheusRule: the SRE workbook burn rates on both windows, SLOMetricAbsent', () => {
    const rule = find(objects, 'PrometheusRule', 'api-gateway') as Json;
    const availability = rule['spec'].groups.find((g: Json) => g.name === 'slo-api-gateway-availability');
    const fast = availability.rules.find((r: Json) => r.alert === 'SLOErrorBudgetBurnFast');
    const slow = availability.rules.find((r: Json) => r.alert === 'SLOErrorBudgetBurnSlow');
    assert.equal(fast.labels.severity, 'page');
    for (const [long, short, burn] of [
      ['1h', '5m', '14.4'],
      ['6h', '30m', '6'],
    ] as const)
      assert.ok(
        fast.expr.includes(
          `(slo:sli_error:ratio_rate${long}{slo_service="api-gateway",slo="availability"} > (${burn} * 0.001) and slo:sli_error:ratio_rate${short}{slo_service="api-gateway",slo="availability"} > (${burn} * 0.001))`,
        ),
        fast.expr,
      );
    for (const [long, short, burn] of [
      ['1d', '2h', '3'],
      ['3d', '6h', '1'],
    ] as const)
      assert.ok(
        slow.expr.includes(
          `ratio_rate${long}{slo_service="api-gateway",slo="availability"} > (${burn} * 0.001) and slo:sli_error:ratio_rate${short}{`,
        ),
        slow.expr,
      );
    assert.ok(
      availability.rules.some((r: Json) => r.alert === 'SLOMetricAbsent' && r.expr.startsWith('absent(')),
    );
    const latency = rule['spec'].groups.find((g: Json) => g.name === 'slo-api-gateway-latency');
    const ratio = latency.rules.find((r: Json) => r.record === 'slo:sli_error:ratio_rate5m');
    assert.match(ratio.expr, /le="0\.5"/);
  });

  it('a dashboard per monitored service, by version', () => {
    const cm = find(objects, 'ConfigMap', 'ml-inference-dashboard') as Json;
    assert.equal(cm['metadata'].labels.grafana_dashboard, '1');
    const dashboard = JSON.parse(cm['data']['ml-inference.json']) as Json;
    const titles = dashboard['panels'].map((p: Json) => p.title);
    assert.ok(titles.includes('Latency p50 / p95 / p99 by version'));
    assert.ok(titles.some((t: string) => t.includes('gpu_utilization')));
  });
});

describe('render: guarantees', () => {
  it('an object that breaks its schema is a located bug report, never written', () => {
    const deployment = find(objects, 'Deployment', 'api-gateway') as Json;
    const broken = structuredClone(deployment);
    broken['spec'].replicas = 'three';
    const location = { file: 'slipway.yaml', line: 43, column: 3 };
    assert.throws(
      () =>
        assertValid(
          { object: broken, environment: 'production', cluster: 'gke', origin: ['services', 'api-gateway'] },
          () => location,
        ),
      (e: SlipwayError) =>
        e.code === 'RENDER_INVALID_OBJECT' &&
        e.category === 'internal' &&
        /\/spec\/replicas must be integer/.test(e.message) &&
        e.location === location &&
        /produced from services\.api-gateway/.test(e.hint ?? ''),
    );
  });

  it('a change of an inline config file changes the config hash, so the pods roll', () => {
    const { spec } = requireSpec('examples/medical-platform/slipway.yaml');
    const hash = (s: typeof spec) =>
      (find(renderPlatform(s, { environments: ['production'] }).objects, 'StatefulSet', 'redis') as Json)[
        'spec'
      ].template.metadata.annotations['slipway.dev/config-hash'];
    const before = hash(spec);
    const changed = structuredClone(spec);
    changed.services['redis']!.config!.files!['/usr/local/etc/redis/redis.conf']!.content +=
      'maxmemory 1gb\n';
    assert.notEqual(hash(changed), before);
    assert.equal(hash(structuredClone(spec)), before);
  });
});

describe('render: rollout settings', () => {
  it('a critical service never loses capacity, and never gets a rollout that cannot move', () => {
    const { spec } = requireSpec('examples/medical-platform/slipway.yaml');
    const strategy = (change: (s: typeof spec) => void) => {
      const copy = structuredClone(spec);
      change(copy);
      const objects = renderPlatform(copy, { environments: ['production'] }).objects;
      return (find(objects, 'Deployment', 'api-gateway') as Json)['spec'].strategy.rollingUpdate;
    };
    const gateway = (s: typeof spec) => s.services['api-gateway']!;
    assert.deepEqual(
      strategy((s) => (gateway(s).release = { strategy: 'rolling', maxSurge: 0, maxUnavailable: 2 })),
      { maxSurge: 1, maxUnavailable: 0 },
    );
    assert.deepEqual(
      strategy((s) => {
        gateway(s).critical = false;
        gateway(s).release = { strategy: 'rolling', maxSurge: '0%', maxUnavailable: '0%' };
      }),
      { maxSurge: 1, maxUnavailable: '0%' },
    );
    assert.deepEqual(
      strategy((s) => {
        gateway(s).critical = false;
        gateway(s).release = { strategy: 'rolling', maxSurge: 0, maxUnavailable: '25%' };
      }),
      { maxSurge: 0, maxUnavailable: '25%' },
    );
  });
});
