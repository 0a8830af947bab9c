/**
 * @module The analysis loop: every interval it asks the judges about the window since the analysis began,
 * stops early on decisive evidence (a failed judge, or the sequential test accepting a healthy canary),
 * needs a minimum sample before any pass, honours failure and inconclusive limits and the maximum
 * duration, and returns the evidence the release's events keep.
 */
import type { Evidence } from '../engine/events.js';
import type { TrafficMetrics, TrafficSnapshot } from '../engine/ports.js';
import type { Platform } from '../spec/schema/platform.js';
import { parseDuration, parsePercent } from '../spec/units.js';
import { judgeLatencyShift } from './judges/mann-whitney.js';
import { judgeRelative } from './judges/relative.js';
import { judgeSequentialErrors } from './judges/sequential.js';
import { judgeThreshold } from './judges/threshold.js';
import type { Judgement } from './judges/verdict.js';
import { type MetricProvider, type QueryContext, type QueryResult, renderQuery } from './metric-provider.js';

type Template = NonNullable<Platform['analysis']>[string];

export interface AnalysisInput {
  template: string;
  definition: Template;
  cluster: string;
  service: string;
  namespace: string;
  version: string;
  baselineVersion?: string;
  durationMs: number;
  traffic: TrafficMetrics;
  /** For templates with PromQL metrics; undefined when the template's provider cannot be reached. */
  provider?: MetricProvider;
  providerProblem?: string;
  signal?: AbortSignal;
  onSample?: (evidence: Evidence) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

const describeResult = (r: QueryResult) =>
  r.kind === 'value'
    ? String(r.value)
    : r.kind === 'error' || r.kind === 'unreachable'
      ? `${r.kind}: ${r.message}`
      : r.kind;

function windowOf(now: TrafficSnapshot | undefined, start: TrafficSnapshot | undefined) {
  if (!now) return undefined;
  return start ? now.since(start) : now;
}

export async function runAnalysis(input: AnalysisInput): Promise<Evidence> {
  const d = input.definition;
  const interval = d.interval ? parseDuration(d.interval) : 5000;
  const minSample = d.minSample ?? 50;
  const failureLimit = d.failureLimit ?? 0;
  const inconclusiveLimit = d.inconclusiveLimit ?? 0;
  const usesTraffic = d.errorRate !== undefined || d.sequential !== undefined || d.latencyP95 !== undefined;
  const metrics = d.metrics ?? [];
  const began = Date.now();
  const window = `${Math.max(10, Math.round(Math.min(input.durationMs, 300_000) / 1000))}s`;
  const ctx: QueryContext = {
    service: input.service,
    version: input.version,
    namespace: input.namespace,
    cluster: input.cluster,
    window,
  };
  const start = {
    canary: input.traffic.snapshot(input.cluster, input.service, input.version),
    baseline: input.baselineVersion
      ? input.traffic.snapshot(input.cluster, input.service, input.baselineVersion)
      : undefined,
  };
  let failures = 0;
  let inconclusive = 0;
  const breachSince = new Map<string, number>();
  /** Metrics that have answered with a number at least once: a pass must rest on data. */
  const answered = new Set<string>();
  let last: Judgement[] = [];
  let canaryRequests = 0;

  const finish = (verdict: Evidence['verdict'], summary: string): Evidence => ({
    verdict,
    summary,
    template: input.template,
    elapsedMs: Date.now() - began,
    canaryRequests,
    failures,
    inconclusive,
    judgements: last.map((j) => ({ verdict: j.verdict, summary: j.summary, ...j.evidence })),
  });

  if (metrics.length > 0 && !input.provider) {
    last = [
      { verdict: 'inconclusive', summary: input.providerProblem ?? 'no metric provider', evidence: {} },
    ];
    return finish(
      'inconclusive',
      `analysis ${input.template}: ${input.providerProblem ?? 'no metric provider'}`,
    );
  }

  for (;;) {
    await sleep(Math.min(interval, Math.max(0, began + input.durationMs - Date.now())), input.signal);
    const done = Date.now() - began >= input.durationMs || input.signal?.aborted === true;
    const round: Judgement[] = [];
    let noAnswer = false;

    if (usesTraffic) {
      const canary = windowOf(
        input.traffic.snapshot(input.cluster, input.service, input.version),
        start.canary,
      );
      const baseline = input.baselineVersion
        ? windowOf(
            input.traffic.snapshot(input.cluster, input.service, input.baselineVersion),
            start.baseline,
          )
        : undefined;
      canaryRequests = canary?.requests ?? 0;
      if (baseline && canary) {
        const s = judgeSequentialErrors(
          {
            canaryRequests: canary.requests,
            canaryErrors: canary.errors,
            baselineRequests: baseline.requests,
            baselineErrors: baseline.errors,
          },
          { alpha: d.sequential?.alpha ?? 0.01, beta: d.sequential?.beta ?? 0.01, minSample },
        );
        round.push(s);
      }
      if (d.errorRate?.max !== undefined && canary && canaryRequests > 0 && canaryRequests >= minSample) {
        const rate = canary.errors / canary.requests;
        const max = parsePercent(d.errorRate.max);
        const j = judgeThreshold('error rate', rate, { max });
        j.summary = `error rate ${(rate * 100).toFixed(2)}% over ${canaryRequests} requests ${j.verdict === 'fail' ? 'exceeds' : 'within'} ${(max * 100).toFixed(2)}%`;
        round.push(j);
      }
    }

    for (const m of metrics) {
      const result = await input.provider!.query(renderQuery(m.query, ctx), input.signal);
      let j: Judgement;
      if (m.baseline && m.maxIncrease !== undefined) {
        const base = await input.provider!.query(renderQuery(m.baseline, ctx), input.signal);
        j = judgeRelative(
          m.name,
          result.kind === 'value' ? result.value : undefined,
          base.kind === 'value' ? base.value : undefined,
          parsePercent(m.maxIncrease),
        );
        if (result.kind !== 'value' || base.kind !== 'value') {
          noAnswer = true;
          j.summary = `${m.name}: canary ${describeResult(result)}, baseline ${describeResult(base)}`;
        }
      } else {
        j = judgeThreshold(
          m.name,
          result.kind === 'value' ? result.value : result.kind === 'nan' ? Number.NaN : undefined,
          { ...(m.max !== undefined ? { max: m.max } : {}), ...(m.min !== undefined ? { min: m.min } : {}) },
        );
        if (result.kind !== 'value') {
          noAnswer = true;
          j.summary = `${m.name}: ${describeResult(result)}`;
        }
      }
      if (result.kind === 'value') answered.add(m.name);
      // A breach must last `for` before it counts, as an alert's `for` does. With history (Prometheus),
      // the whole `for` range must breach, so a restarted controller judges the same; without, it is
      // tracked from the first breach this loop saw.
      if (j.verdict === 'fail' && m.for) {
        const forMs = parseDuration(m.for);
        let held: boolean;
        if (input.provider?.queryRange) {
          const now = Date.now() / 1000;
          const range = await input.provider.queryRange(
            renderQuery(m.query, ctx),
            now - forMs / 1000,
            now,
            Math.max(1, interval / 1000),
            input.signal,
          );
          held =
            range.kind === 'series' &&
            range.points[0]![0] <= now - forMs / 1000 + Math.max(1, interval / 1000) &&
            range.points.every(
              ([, v]) => (m.max !== undefined && v > m.max) || (m.min !== undefined && v < m.min),
            );
        } else {
          const since = breachSince.get(m.name) ?? Date.now();
          breachSince.set(m.name, since);
          held = Date.now() - since >= forMs;
        }
        if (!held) j = { ...j, verdict: 'pass', summary: `${j.summary} (not yet for ${m.for})` };
      } else if (j.verdict !== 'fail') breachSince.delete(m.name);
      round.push(j);
    }

    if (done && d.latencyP95?.maxIncrease !== undefined && input.baselineVersion && canaryRequests > 0) {
      // Judged once, at the end: a rank test on the window's latencies (ANALYSIS.md: repeated looks at a
      // ratio inflate false failures).
      const n = Math.min(4096, canaryRequests);
      round.push(
        judgeLatencyShift(
          input.traffic.recentLatencies(input.cluster, input.service, input.version, n),
          input.traffic.recentLatencies(input.cluster, input.service, input.baselineVersion, 4096),
          {
            allowedIncrease: parsePercent(d.latencyP95.maxIncrease),
            minSample,
          },
        ),
      );
    }

    last = round;
    const failed = round.filter((j) => j.verdict === 'fail');
    if (failed.length > 0) {
      failures++;
      if (failures > failureLimit) return finish('fail', failed.map((j) => j.summary).join('; '));
    }
    // No data, NaN, a query error, an unreachable server: each is inconclusive, never a pass.
    if (noAnswer) {
      inconclusive++;
      if (inconclusive > inconclusiveLimit)
        return finish(
          'inconclusive',
          round
            .filter((j) => j.verdict === 'inconclusive')
            .map((j) => j.summary)
            .join('; '),
        );
    }
    const sequentialPass = round.find((j) => j.verdict === 'pass' && 'logAccept' in j.evidence);
    if (sequentialPass && metrics.length === 0 && d.latencyP95 === undefined)
      return finish('pass', `early promotion: ${sequentialPass.summary}`);
    input.onSample?.(finish('inconclusive', round.map((j) => j.summary).join('; ')));
    if (done) {
      if (usesTraffic && canaryRequests < minSample)
        return finish('inconclusive', `only ${canaryRequests} of the ${minSample} canary requests needed`);
      const silent = metrics.filter((m) => !answered.has(m.name)).map((m) => m.name);
      if (silent.length > 0)
        return finish('inconclusive', `no data from ${silent.join(', ')} during the whole analysis`);
      if (noAnswer) return finish('inconclusive', round.map((j) => j.summary).join('; '));
      return finish('pass', round.length ? round.map((j) => j.summary).join('; ') : 'no judge objected');
    }
  }
}
