/**
 * @module PrometheusRule: SLO recording rules and multi-window multi-burn-rate alerts (SRE workbook,
 * Sloth's windows), an alert when the SLI metric is absent (as Pyrra does), and the spec's own alerts.
 */
import { renderQuery } from '../analysis/metric-provider.js';
import type { z } from 'zod';
import type { slo as sloSchema } from '../spec/schema/observability.js';
import { parseDuration, parsePercent } from '../spec/units.js';
import type { K8sObject } from './k8s-object.js';
import { metadata } from './labels.js';
import type { ServiceView } from './service-view.js';

type Slo = z.infer<typeof sloSchema>;

/** The SRE workbook's table: each row alerts when both windows burn faster than `burn`. */
export const BURN_RATE_WINDOWS = [
  { severity: 'page', long: '1h', short: '5m', burn: 14.4 },
  { severity: 'page', long: '6h', short: '30m', burn: 6 },
  { severity: 'ticket', long: '1d', short: '2h', burn: 3 },
  { severity: 'ticket', long: '3d', short: '6h', burn: 1 },
] as const;

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** Conventional instrumentation (Prometheus client libraries' HTTP metrics) for the built-in SLIs. */
export const SLI_METRICS = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
} as const;

const round = (n: number) => Number(n.toPrecision(12));

function sli(view: ServiceView, slo: Slo): { errors: (w: string) => string; total: (w: string) => string } {
  const selector = `job="${view.name}",namespace="${view.namespace}"`;
  const ctx = (window: string) => ({
    service: view.name,
    version: view.version ?? '',
    namespace: view.namespace,
    cluster: view.cluster,
    window,
  });
  if (slo.sli.errorRatio) {
    const { errors, total } = slo.sli.errorRatio;
    return { errors: (w) => renderQuery(errors, ctx(w)), total: (w) => renderQuery(total, ctx(w)) };
  }
  if (slo.sli.latency) {
    const le = round(parseDuration(slo.sli.latency.threshold) / 1000);
    const count = (w: string) => `sum(rate(${SLI_METRICS.duration}_count{${selector}}[${w}]))`;
    return {
      errors: (w) =>
        `(${count(w)} - sum(rate(${SLI_METRICS.duration}_bucket{${selector},le="${le}"}[${w}])))`,
      total: count,
    };
  }
  return {
    errors: (w) => `sum(rate(${SLI_METRICS.requests}{${selector},code=~"5.."}[${w}]))`,
    total: (w) => `sum(rate(${SLI_METRICS.requests}{${selector}}[${w}]))`,
  };
}

function sloGroup(view: ServiceView, slo: Slo) {
  const labels = { slo_service: view.name, slo: slo.name };
  const sel = `{slo_service="${view.name}",slo="${slo.name}"}`;
  const budget = round(1 - parsePercent(slo.objective));
  const window = slo.window ?? '30d';
  const { errors, total } = sli(view, slo);
  const recording = WINDOWS.map((w) => ({
    record: `slo:sli_error:ratio_rate${w}`,
    expr: `(${errors(w)}) / (${total(w)})`,
    labels,
  }));
  const meta = [
    { record: 'slo:objective:ratio', expr: `vector(${round(parsePercent(slo.objective))})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate5m${sel} / ${budget}`, labels },
    // The compliance window's ratio, unless it is one of the alert windows already recorded.
    ...((WINDOWS as readonly string[]).includes(window)
      ? []
      : [
          {
            record: `slo:sli_error:ratio_rate${window}`,
            expr: `avg_over_time(slo:sli_error:ratio_rate5m${sel}[${window}])`,
            labels,
          },
        ]),
    {
      record: 'slo:period_error_budget_remaining:ratio',
      expr: `1 - slo:sli_error:ratio_rate${window}${sel} / ${budget}`,
      labels,
    },
  ];
  const alerts = (['page', 'ticket'] as const).map((severity) => {
    const rows = BURN_RATE_WINDOWS.filter((r) => r.severity === severity);
    const expr = rows
      .map(
        (r) =>
          `(slo:sli_error:ratio_rate${r.long}${sel} > (${r.burn} * ${budget}) and slo:sli_error:ratio_rate${r.short}${sel} > (${r.burn} * ${budget}))`,
      )
      .join(' or ');
    return {
      alert: severity === 'page' ? 'SLOErrorBudgetBurnFast' : 'SLOErrorBudgetBurnSlow',
      expr,
      labels: { ...labels, severity },
      annotations: {
        summary: `${view.name}: SLO ${slo.name} (${slo.objective} over ${window}) is burning its error budget ${severity === 'page' ? 'fast' : 'steadily'}`,
        description: rows.map((r) => `${r.long}/${r.short} burn > ${r.burn}`).join('; '),
      },
    };
  });
  const absent = {
    alert: 'SLOMetricAbsent',
    expr: `absent(${total('5m')})`,
    for: '10m',
    labels: { ...labels, severity: 'ticket' },
    annotations: {
      summary: `${view.name}: the SLI of SLO ${slo.name} has no data, so its alerts cannot fire`,
    },
  };
  return { name: `slo-${view.name}-${slo.name}`, rules: [...recording, ...meta, ...alerts, absent] };
}

function alertGroup(view: ServiceView) {
  const ctx = {
    service: view.name,
    version: view.version ?? '',
    namespace: view.namespace,
    cluster: view.cluster,
    window: '5m',
  };
  return {
    name: `${view.name}-alerts`,
    rules: (view.service.alerts ?? []).map((a) => ({
      alert: a.name,
      expr: renderQuery(a.expr, ctx),
      ...(a.for ? { for: a.for } : {}),
      labels: {
        ...a.labels,
        severity: a.severity,
        service: view.name,
        ...(a.action === 'rollback' ? { slipway_action: 'rollback' } : {}),
      },
      ...(a.summary ? { annotations: { summary: a.summary } } : {}),
    })),
  };
}

export function prometheusRule(view: ServiceView): K8sObject[] {
  const groups: { name: string; rules: Record<string, unknown>[] }[] = (view.service.slos ?? []).map((slo) =>
    sloGroup(view, slo),
  );
  if (view.service.alerts?.length) groups.push(alertGroup(view));
  if (groups.length === 0) return [];
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: metadata(view, view.name),
      spec: { groups },
    },
  ];
}
