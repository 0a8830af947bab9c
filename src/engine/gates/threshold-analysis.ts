/**
 * @module The interim analysis gate: threshold checks on the builtin traffic metrics, evaluated every
 * interval over the window since the analysis began. The statistical judges of the analysis issue replace it.
 */
import type { Platform } from '../../spec/schema/platform.js';
import { parseDuration, parsePercent } from '../../spec/units.js';
import type { Evidence } from '../events.js';
import type { TrafficMetrics, TrafficSnapshot } from '../ports.js';

type Template = NonNullable<Platform['analysis']>[string];

const LATENCY_MIN_SAMPLE = 100;
const LATENCY_FLOOR_SECONDS = 0.001;

export interface AnalysisRun {
  template: string;
  definition: Template;
  cluster: string;
  service: string;
  version: string;
  baselineVersion?: string;
  durationMs: number;
  metrics: TrafficMetrics;
  /** Resolves early when the release is aborted. */
  signal?: AbortSignal;
  /** Called with each interim evaluation (progress output). */
  onSample?: (evidence: Evidence) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

function delta(
  now: TrafficSnapshot | undefined,
  start: TrafficSnapshot | undefined,
): TrafficSnapshot | undefined {
  if (!now) return undefined;
  return start ? now.since(start) : now;
}

export async function runThresholdAnalysis(run: AnalysisRun): Promise<Evidence> {
  const { definition: d, metrics } = run;
  if (d.provider && d.provider !== 'builtin') {
    return {
      verdict: 'inconclusive',
      summary: `analysis ${run.template}: the Prometheus provider is not available yet in this build`,
    };
  }
  const interval = d.interval ? parseDuration(d.interval) : 5000;
  const minSample = d.minSample ?? 50;
  const maxError = d.errorRate?.max !== undefined ? parsePercent(d.errorRate.max) : undefined;
  const maxP95Increase =
    d.latencyP95?.maxIncrease !== undefined ? parsePercent(d.latencyP95.maxIncrease) : undefined;
  const startCanary = metrics.snapshot(run.cluster, run.service, run.version);
  const startBase = run.baselineVersion
    ? metrics.snapshot(run.cluster, run.service, run.baselineVersion)
    : undefined;
  const began = Date.now();
  let last: Evidence = { verdict: 'inconclusive', summary: 'no sample yet' };
  while (!run.signal?.aborted) {
    await sleep(Math.min(interval, Math.max(0, began + run.durationMs - Date.now())), run.signal);
    const canary = delta(metrics.snapshot(run.cluster, run.service, run.version), startCanary);
    const base = run.baselineVersion
      ? delta(metrics.snapshot(run.cluster, run.service, run.baselineVersion), startBase)
      : undefined;
    const requests = canary?.requests ?? 0;
    const errors = canary?.errors ?? 0;
    const errorRate = requests > 0 ? errors / requests : 0;
    const p95 = canary ? canary.quantile(0.95) : Number.NaN;
    const baseP95 = base ? base.quantile(0.95) : Number.NaN;
    const numbers = {
      requests,
      errors,
      errorRate,
      p95Ms: Number.isFinite(p95) ? p95 * 1000 : null,
      baselineRequests: base?.requests ?? 0,
      baselineErrorRate: base && base.requests > 0 ? base.errors / base.requests : null,
      baselineP95Ms: Number.isFinite(baseP95) ? baseP95 * 1000 : null,
      elapsedMs: Date.now() - began,
    };
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    if (requests >= minSample && maxError !== undefined && errorRate > maxError) {
      return {
        verdict: 'fail',
        summary: `error rate ${pct(errorRate)} over ${requests} requests exceeds ${pct(maxError)}`,
        ...numbers,
      };
    }
    const finished = Date.now() - began >= run.durationMs;
    // Latency is judged once, at the end of the window: checking a ratio at every interval multiplies
    // false failures (ANALYSIS.md). Both arms need a real sample, and a 1 ms floor absorbs the
    // resolution of a loopback router, where a healthy p95 moves by tenths of a millisecond.
    if (
      finished &&
      maxP95Increase !== undefined &&
      requests >= Math.max(minSample, LATENCY_MIN_SAMPLE) &&
      (base?.requests ?? 0) >= Math.max(minSample, LATENCY_MIN_SAMPLE) &&
      Number.isFinite(p95) &&
      Number.isFinite(baseP95) &&
      p95 > baseP95 * (1 + maxP95Increase) + LATENCY_FLOOR_SECONDS
    ) {
      return {
        verdict: 'fail',
        summary: `p95 ${(p95 * 1000).toFixed(1)} ms is more than ${pct(maxP95Increase)} above the baseline's ${(baseP95 * 1000).toFixed(1)} ms`,
        ...numbers,
      };
    }
    last = {
      verdict: requests >= minSample ? 'pass' : 'inconclusive',
      summary:
        requests >= minSample
          ? `error rate ${pct(errorRate)} over ${requests} requests${Number.isFinite(p95) ? `, p95 ${(p95 * 1000).toFixed(1)} ms` : ''}`
          : `only ${requests} of the ${minSample} requests needed`,
      ...numbers,
    };
    run.onSample?.(last);
    if (finished) break;
  }
  return last;
}
