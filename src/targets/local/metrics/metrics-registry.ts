/** @module All traffic metrics of one local cluster, and their Prometheus text exposition. */
import { PROMETHEUS_BUCKETS, VersionMetrics } from './version-metrics.js';
import type { SeparateGroup } from '../../target.js';

const keyOf = (service: string, version: string, group?: SeparateGroup) =>
  `${service}\u0000${version}${group ? `\u0000${group}` : ''}`;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class MetricsRegistry {
  private readonly versions = new Map<string, VersionMetrics>();

  constructor(readonly cluster: string) {}

  forVersion(service: string, version: string, group?: SeparateGroup): VersionMetrics {
    const key = keyOf(service, version, group);
    let m = this.versions.get(key);
    if (!m) {
      m = new VersionMetrics(service, version, group);
      this.versions.set(key, m);
    }
    return m;
  }

  find(service: string, version: string, group?: SeparateGroup): VersionMetrics | undefined {
    return this.versions.get(keyOf(service, version, group));
  }

  all(): VersionMetrics[] {
    return [...this.versions.values()];
  }

  /** Prometheus text format 0.0.4. Names follow the runbooks' queries (`http_requests_total{status=~"5.."}`). */
  toPrometheusText(): string {
    const lines: string[] = [];
    const all = this.all().sort(
      (a, b) =>
        a.service.localeCompare(b.service) ||
        a.version.localeCompare(b.version) ||
        (a.group ?? '').localeCompare(b.group ?? ''),
    );
    const labels = (m: VersionMetrics, extra = '') =>
      `cluster="${escape(this.cluster)}",service="${escape(m.service)}",version="${escape(m.version)}"${m.group ? `,group="${m.group}"` : ''}${extra}`;

    lines.push('# HELP http_requests_total Requests answered through the Slipway router, by final status.');
    lines.push('# TYPE http_requests_total counter');
    for (const m of all) {
      for (const [status, n] of [...m.byStatus].sort((a, b) => a[0] - b[0]))
        lines.push(`http_requests_total{${labels(m, `,status="${status}"`)}} ${n}`);
    }
    lines.push('# HELP http_request_duration_seconds Latency seen by the router, from request to last byte.');
    lines.push('# TYPE http_request_duration_seconds histogram');
    for (const m of all) {
      PROMETHEUS_BUCKETS.forEach((le, i) =>
        lines.push(`http_request_duration_seconds_bucket{${labels(m, `,le="${le}"`)}} ${m.buckets[i]}`),
      );
      lines.push(`http_request_duration_seconds_bucket{${labels(m, ',le="+Inf"')}} ${m.latency.count}`);
      lines.push(`http_request_duration_seconds_sum{${labels(m)}} ${m.latency.sum}`);
      lines.push(`http_request_duration_seconds_count{${labels(m)}} ${m.latency.count}`);
    }
    lines.push(
      '# HELP slipway_upstream_failures_total Upstream attempts that failed before a response, by cause.',
    );
    lines.push('# TYPE slipway_upstream_failures_total counter');
    for (const m of all) {
      for (const [kind, n] of Object.entries(m.upstreamFailures))
        lines.push(`slipway_upstream_failures_total{${labels(m, `,kind="${kind}"`)}} ${n}`);
    }
    lines.push(
      '# HELP slipway_request_retries_total Attempts retried on another replica after a refused connection.',
    );
    lines.push('# TYPE slipway_request_retries_total counter');
    for (const m of all) lines.push(`slipway_request_retries_total{${labels(m)}} ${m.retries}`);
    lines.push('# HELP slipway_requests_in_flight Requests being served now.');
    lines.push('# TYPE slipway_requests_in_flight gauge');
    for (const m of all) lines.push(`slipway_requests_in_flight{${labels(m)}} ${m.inFlight}`);
    return `${lines.join('\n')}\n`;
  }
}
