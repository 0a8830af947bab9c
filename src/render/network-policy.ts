/**
 * @module NetworkPolicies: default deny per namespace, DNS egress, and per service exactly the calls the
 * spec declares (`dependsOn`), its exposure (`expose.from`, gateway) and Prometheus scraping.
 */
import type { K8sObject } from './k8s-object.js';
import { LABEL } from './k8s-object.js';
import { metadata, selectorLabels } from './labels.js';
import type { PortView, ServiceView } from './service-view.js';

/** Where Prometheus (prometheus-operator) runs; its pods scrape every service's metrics port. */
export const MONITORING_NAMESPACE = 'monitoring';
const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

export function namespaceObjects(platform: string, namespace: string): K8sObject[] {
  const labels = { [LABEL.partOf]: platform, [LABEL.managedBy]: 'slipway' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      // Egress default-deny without this silently breaks every name lookup.
      metadata: { name: 'allow-dns', namespace, labels },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
  ];
}

const portRules = (ports: PortView[]) => ports.map((p) => ({ protocol: p.protocol, port: p.port }));

function peer(from: ServiceView, to: { namespace: string; labels: Record<string, string> }) {
  const podSelector = { matchLabels: to.labels };
  return from.namespace === to.namespace
    ? { podSelector }
    : { namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: to.namespace } }, podSelector };
}

/** The ports a caller uses: all but a dedicated port named `metrics` (a shared one, like TF Serving's REST port, stays). */
export function callPorts<Port extends { name?: string }>(ports: Port[]): Port[] {
  const calls = ports.filter((p) => p.name !== 'metrics');
  return calls.length > 0 ? calls : ports;
}

export function metricsPortOf(view: ServiceView): PortView | undefined {
  const wanted = view.service.metrics?.port;
  if (!view.service.metrics) return undefined;
  if (wanted === undefined) return view.primary;
  const found = view.ports.find((p) => p.port === wanted || p.name === wanted);
  if (found) return found;
  return typeof wanted === 'number' ? { name: 'metrics', port: wanted, protocol: 'TCP' } : undefined;
}

/**
 * @param neighbour the same cluster's view of another service, or undefined when it does not run there
 *   (then no rule is rendered, and `slipway netpol` reports the declared call as dropped).
 */
export function servicePolicy(
  view: ServiceView,
  neighbour: (name: string) => ServiceView | undefined,
  callers: ServiceView[],
): K8sObject {
  const ingress: Record<string, unknown>[] = [];
  const own = callPorts(view.ports);
  for (const caller of callers.sort((a, b) => a.name.localeCompare(b.name)))
    ingress.push({
      from: [peer(view, { namespace: caller.namespace, labels: selectorLabels(caller) })],
      ports: portRules(own),
    });
  const expose = view.service.expose;
  if (expose?.from?.length) {
    ingress.push({
      from: expose.from.map((f) => ({
        ...(f.namespace ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: f.namespace } } } : {}),
        ...(f.podLabels
          ? { podSelector: { matchLabels: f.podLabels } }
          : f.namespace
            ? {}
            : { podSelector: {} }),
      })),
      ports: portRules(own),
    });
  } else if (expose?.type === 'public') {
    const gateway = expose.gateway ?? view.clusterSpec.kubernetes?.gateway;
    // Without a named source, the gateway's namespace if known, else any namespace (the ingress controller's).
    ingress.push({
      from: [
        gateway?.namespace
          ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: gateway.namespace } } }
          : { namespaceSelector: {} },
      ],
      ports: portRules(own),
    });
  }
  const metrics = metricsPortOf(view);
  if (metrics)
    ingress.push({
      from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME]: MONITORING_NAMESPACE } } }],
      ports: portRules([metrics]),
    });

  const egress: Record<string, unknown>[] = [];
  for (const dependency of [...(view.service.dependsOn ?? [])].sort()) {
    const target = neighbour(dependency);
    if (!target) continue;
    egress.push({
      to: [peer(view, { namespace: target.namespace, labels: selectorLabels(target) })],
      ...(target.ports.length > 0 ? { ports: portRules(callPorts(target.ports)) } : {}),
    });
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(view, view.name),
    spec: {
      podSelector: { matchLabels: selectorLabels(view) },
      policyTypes: ['Ingress', 'Egress'],
      ...(ingress.length > 0 ? { ingress } : {}),
      ...(egress.length > 0 ? { egress } : {}),
    },
  };
}
