/** @module The Service (and a StatefulSet's headless Service) and the PodDisruptionBudget of a service. */
import type { K8sObject } from './k8s-object.js';
import { metadata, selectorLabels } from './labels.js';
import { metricsPortOf } from './network-policy.js';
import type { ServiceView } from './service-view.js';

export function services(view: ServiceView): K8sObject[] {
  if (view.ports.length === 0) return [];
  const ports: Record<string, unknown>[] = view.ports.map((p) => ({
    name: p.name,
    port: p.port,
    targetPort: p.name,
    protocol: p.protocol,
  }));
  // A metrics port outside the container's ports is an exporter sidecar's; the ServiceMonitor needs it here.
  const metrics = metricsPortOf(view);
  if (metrics && !view.ports.includes(metrics))
    ports.push({ name: metrics.name, port: metrics.port, targetPort: metrics.port, protocol: 'TCP' });
  const out: K8sObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(view, view.name),
      spec: { type: 'ClusterIP', selector: selectorLabels(view), ports },
    },
  ];
  if (view.service.workload === 'statefulset')
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(view, `${view.name}-headless`),
      // Stable per-replica DNS names (postgresql-0.postgresql-headless) for replication and clustering.
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: selectorLabels(view), ports },
    });
  return out;
}

/**
 * A budget for voluntary disruptions (node drains, upgrades) whenever the service may run two or more
 * replicas. `maxUnavailable: 1` keeps all but one and never blocks a drain, even when an autoscaler has
 * scaled it down to one (which `minAvailable` would).
 */
export function disruptionBudget(view: ServiceView): K8sObject[] {
  const most = Math.max(view.replicas, view.service.autoscale?.min ?? 0);
  if (view.service.workload === 'daemonset' || most < 2) return [];
  return [
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(view, view.name),
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(view) } },
    },
  ];
}
