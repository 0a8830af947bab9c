/**
 * The cdk8s peer of bench/render: a cdk8s app (cdk8s-plus-32 constructs, as its users write one) that
 * synthesises, per cluster, the bench platform's Deployments, Services, HorizontalPodAutoscalers,
 * PodDisruptionBudgets and NetworkPolicies — what Slipway renders for the same inputs.
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-32';
import type { BenchService } from './bench-platform.js';

function labels(s: BenchService): Record<string, string> {
  return {
    'app.kubernetes.io/name': s.name,
    'app.kubernetes.io/part-of': 'bench',
    'app.kubernetes.io/version': s.version,
  };
}

/** default-deny and DNS egress for each namespace, as Slipway's network policies start. */
function namespacePolicies(chart: Chart, namespace: string): void {
  new kplus.NetworkPolicy(chart, `${namespace}-default-deny`, {
    metadata: { name: 'default-deny', namespace },
    selector: kplus.Pods.all(chart, `${namespace}-all`),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const dns = new kplus.NetworkPolicy(chart, `${namespace}-allow-dns`, {
    metadata: { name: 'allow-dns', namespace },
    selector: kplus.Pods.all(chart, `${namespace}-all-dns`),
  });
  dns.addEgressRule(kplus.Namespaces.select(chart, `${namespace}-kube-system`, { names: ['kube-system'] }), [
    kplus.NetworkPolicyPort.udp(53),
    kplus.NetworkPolicyPort.tcp(53),
  ]);
}

function service(chart: Chart, s: BenchService, byName: Map<string, BenchService>): void {
  const meta = { name: s.name, namespace: s.namespace, labels: labels(s) };
  const deployment = new kplus.Deployment(chart, s.name, {
    metadata: meta,
    podMetadata: { labels: labels(s) },
    ...(s.autoscale ? {} : { replicas: s.replicas }),
    automountServiceAccountToken: false,
    containers: [
      {
        name: s.name,
        image: `${s.image}:${s.version}`,
        portNumber: 8080,
        envVariables: {
          LOG_LEVEL: kplus.EnvValue.fromValue('info'),
          DB_PASSWORD: kplus.EnvValue.fromSecretValue({
            secret: kplus.Secret.fromSecretName(chart, `${s.name}-db`, `${s.name}-db`),
            key: 'password',
          }),
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(100) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        liveness: kplus.Probe.fromHttpGet('/live', { port: 8080, periodSeconds: Duration.seconds(10) }),
      },
    ],
  });
  deployment.exposeViaService({ name: s.name, ports: [{ port: 8080, targetPort: 8080 }] });
  if (s.autoscale) {
    new kplus.HorizontalPodAutoscaler(chart, `${s.name}-hpa`, {
      metadata: meta,
      target: deployment,
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
  }
  new kplus.k8s.KubePodDisruptionBudget(chart, `${s.name}-pdb`, {
    metadata: meta,
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: { 'app.kubernetes.io/name': s.name } },
    },
  });
  const policy = new kplus.NetworkPolicy(chart, `${s.name}-np`, { metadata: meta, selector: deployment });
  policy.addIngressRule(kplus.Namespaces.select(chart, `${s.name}-monitoring`, { names: ['monitoring'] }), [
    kplus.NetworkPolicyPort.tcp(8080),
  ]);
  for (const name of s.dependsOn) {
    const dependency = byName.get(name)!;
    const peer = kplus.Pods.select(chart, `${s.name}-to-${name}`, {
      labels: { 'app.kubernetes.io/name': name },
      namespaces: kplus.Namespaces.select(chart, `${s.name}-to-${name}-ns`, {
        names: [dependency.namespace],
      }),
    });
    policy.addEgressRule(peer, [kplus.NetworkPolicyPort.tcp(8080)]);
  }
}

/** One cluster's app, synthesised to YAML as `cdk8s synth` writes it. */
export function synthCluster(cluster: string, services: BenchService[]): string {
  const app = new App();
  const chart = new Chart(app, cluster);
  for (const namespace of new Set(services.map((s) => s.namespace))) namespacePolicies(chart, namespace);
  const byName = new Map(services.map((s) => [s.name, s]));
  for (const s of services) service(chart, s, byName);
  return app.synthYaml();
}
