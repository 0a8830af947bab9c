/** @module Prometheus scraping: a ServiceMonitor on the service's metrics port, labelled by version. */
import type { K8sObject } from './k8s-object.js';
import { LABEL } from './k8s-object.js';
import { metadata, selectorLabels } from './labels.js';
import { metricsPortOf } from './network-policy.js';
import type { ServiceView } from './service-view.js';

export function serviceMonitor(view: ServiceView): K8sObject[] {
  const port = metricsPortOf(view);
  if (!port) return [];
  const metrics = view.service.metrics!;
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: metadata(view, view.name),
      spec: {
        selector: { matchLabels: selectorLabels(view) },
        // Every series carries the pod's version, so dashboards and alerts compare versions.
        podTargetLabels: [LABEL.version],
        endpoints: [
          {
            port: port.name,
            path: metrics.path ?? '/metrics',
            ...(metrics.interval ? { interval: metrics.interval } : {}),
          },
        ],
      },
    },
  ];
}
