/**
 * @module A Grafana dashboard per service, as a ConfigMap the Grafana sidecar loads: traffic, errors,
 * p50/p95/p99 and saturation, each split by version, plus the service's KPIs.
 */
import type { K8sObject } from './k8s-object.js';
import { metadata } from './labels.js';
import { SLI_METRICS } from './slo-rules.js';
import type { ServiceView } from './service-view.js';

/** The label prometheus-operator gives `podTargetLabels: [app.kubernetes.io/version]`. */
const VERSION = 'app_kubernetes_io_version';

interface Panel {
  title: string;
  unit: string;
  targets: { expr: string; legendFormat: string }[];
}

function panels(view: ServiceView): Panel[] {
  const sel = `job="${view.name}",namespace="${view.namespace}"`;
  const pod = `namespace="${view.namespace}",pod=~"${view.name}-.*",container="${view.name}"`;
  const quantile = (q: number) => ({
    expr: `histogram_quantile(${q}, sum by (le, ${VERSION}) (rate(${SLI_METRICS.duration}_bucket{${sel}}[$__rate_interval])))`,
    legendFormat: `p${Math.round(q * 100)} {{${VERSION}}}`,
  });
  const out: Panel[] = [
    {
      title: 'Request rate by version',
      unit: 'reqps',
      targets: [
        {
          expr: `sum by (${VERSION}) (rate(${SLI_METRICS.requests}{${sel}}[$__rate_interval]))`,
          legendFormat: `{{${VERSION}}}`,
        },
      ],
    },
    {
      title: 'Error ratio (4xx, 5xx) by version',
      unit: 'percentunit',
      targets: ['4', '5'].map((c) => ({
        expr: `sum by (${VERSION}) (rate(${SLI_METRICS.requests}{${sel},code=~"${c}.."}[$__rate_interval])) / sum by (${VERSION}) (rate(${SLI_METRICS.requests}{${sel}}[$__rate_interval]))`,
        legendFormat: `${c}xx {{${VERSION}}}`,
      })),
    },
    {
      title: 'Latency p50 / p95 / p99 by version',
      unit: 's',
      targets: [quantile(0.5), quantile(0.95), quantile(0.99)],
    },
    {
      title: 'Saturation: CPU and memory of limits',
      unit: 'percentunit',
      targets: [
        {
          expr: `sum(rate(container_cpu_usage_seconds_total{${pod}}[$__rate_interval])) / sum(kube_pod_container_resource_limits{${pod},resource="cpu"})`,
          legendFormat: 'cpu',
        },
        {
          expr: `sum(container_memory_working_set_bytes{${pod}}) / sum(kube_pod_container_resource_limits{${pod},resource="memory"})`,
          legendFormat: 'memory',
        },
      ],
    },
  ];
  for (const [metric, meaning] of Object.entries(view.service.metrics?.kpis ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  ))
    out.push({
      title: `${meaning} (${metric})`,
      unit: 'short',
      targets: [
        {
          expr: `sum by (${VERSION}) (${metric}{namespace="${view.namespace}"})`,
          legendFormat: `{{${VERSION}}}`,
        },
      ],
    });
  return out;
}

export function dashboardJson(view: ServiceView): Record<string, unknown> {
  return {
    title: `${view.platform} / ${view.name}`,
    uid: `slipway-${view.platform}-${view.name}`.slice(0, 40),
    tags: ['slipway', view.platform],
    timezone: 'utc',
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    panels: panels(view).map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), ...t })),
    })),
  };
}

export function dashboard(view: ServiceView): K8sObject[] {
  if (!view.service.metrics && !view.service.slos?.length) return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: metadata(view, `${view.name}-dashboard`, { grafana_dashboard: '1' }),
      data: { [`${view.name}.json`]: JSON.stringify(dashboardJson(view), null, 2) },
    },
  ];
}
