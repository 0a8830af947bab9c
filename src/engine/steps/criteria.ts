/**
 * @module The success criteria, over the whole release: at its start the touched services' request, error
 * and latency counters are written into the log (so a resumed release still has them); at its end the
 * release is judged — how long it took, the availability and error rate of everything those services served
 * meanwhile (both versions), and the new version's p95 against the old one's. A criterion that cannot be
 * measured is inconclusive, and fails the gate like a breach: never a pass.
 */
import { LatencyHistogram } from '../../metrics/latency-histogram.js';
import { parseDuration, parsePercent } from '../../spec/units.js';
import type { Evidence } from '../events.js';
import { type StepContext, type StepExecutor, type StepOf, targetFor, waitHost } from './step-context.js';

interface Count {
  cluster: string;
  service: string;
  version: string;
  requests: number;
  errors: number;
  /** Latency histogram buckets that are not zero: index → count. */
  buckets: Record<string, number>;
  count: number;
  sum: number;
}

async function countsNow(ctx: StepContext, step: StepOf<'criteria'>): Promise<Count[] | string> {
  const out: Count[] = [];
  for (const c of step.counted) {
    const target = targetFor(ctx, c.cluster);
    if (!target.trafficOf) return `cluster ${c.cluster} does not count requests itself`;
    for (const version of c.versions) {
      const t = await target.trafficOf(c.service, version);
      const buckets: Record<string, number> = {};
      t?.latency.counts.forEach((n, i) => n && (buckets[i] = n));
      out.push({
        ...c,
        version,
        requests: t?.requests ?? 0,
        errors: t?.errors ?? 0,
        buckets,
        count: t?.latency.count ?? 0,
        sum: t?.latency.sum ?? 0,
      });
    }
  }
  return out;
}

const histogram = (c: Pick<Count, 'buckets' | 'count' | 'sum'>) => {
  const h = new LatencyHistogram(undefined, c.count, c.sum);
  for (const [i, n] of Object.entries(c.buckets)) h.counts[Number(i)] = n;
  return h;
};

type Row = { criterion: string; target: string; measured: string; verdict: Evidence['verdict'] };
type Criteria = NonNullable<NonNullable<StepContext['spec']['release']>['successCriteria']>;
type Delta = Count & { latency: LatencyHistogram };

/** What each counted version served during the release: now minus at its start. */
function servedSince(start: Count[], now: Count[]): Delta[] {
  return now.map((n) => {
    const s = start.find(
      (x) => x.cluster === n.cluster && x.service === n.service && x.version === n.version,
    );
    return {
      ...n,
      requests: n.requests - (s?.requests ?? 0),
      errors: n.errors - (s?.errors ?? 0),
      latency: s ? histogram(n).since(histogram(s)) : histogram(n),
    };
  });
}

/** Availability and error rate over every request the release's versions served. */
function errorRows(c: Criteria, delta: Delta[]): Row[] {
  const requests = delta.reduce((a, d) => a + d.requests, 0);
  const errors = delta.reduce((a, d) => a + d.errors, 0);
  const unmeasured = delta.some((d) => d.requests < 0)
    ? 'the counters restarted during the release'
    : requests === 0
      ? 'no request was served during the release'
      : undefined;
  const row = (criterion: string, target: string, measured: () => string, passes: () => boolean): Row =>
    unmeasured
      ? { criterion, target, measured: unmeasured, verdict: 'inconclusive' }
      : { criterion, target, measured: measured(), verdict: passes() ? 'pass' : 'fail' };
  const rows: Row[] = [];
  if (c.availability) {
    const min = parsePercent(c.availability);
    rows.push(
      row(
        'availability',
        `≥ ${c.availability}`,
        () => `${(100 * (1 - errors / requests)).toFixed(2)}% of ${requests}`,
        () => 1 - errors / requests >= min - 1e-12,
      ),
    );
  }
  if (c.maxErrorRate) {
    const max = parsePercent(c.maxErrorRate);
    rows.push(
      row(
        'error rate',
        `≤ ${c.maxErrorRate}`,
        () => `${((100 * errors) / requests).toFixed(2)}%`,
        () => errors / requests <= max,
      ),
    );
  }
  return rows;
}

/** The new versions' p95 against the versions they replace, over the requests of the release. */
function latencyRow(maxIncrease: string | number, step: StepOf<'criteria'>, delta: Delta[]): Row {
  const p95 = (version: (c: StepOf<'criteria'>['counted'][number]) => string | undefined) => {
    const h = new LatencyHistogram();
    for (const entry of step.counted) {
      const v = version(entry);
      for (const d of delta.filter(
        (x) => x.cluster === entry.cluster && x.service === entry.service && x.version === v,
      )) {
        d.latency.counts.forEach((n, i) => (h.counts[i]! += n));
        h.count += d.latency.count;
        h.sum += d.latency.sum;
      }
    }
    return h.quantile(0.95);
  };
  const before = p95((e) => (e.versions.length > 1 ? e.versions[0] : undefined));
  const after = p95((e) => e.versions.at(-1));
  const target = `≤ +${maxIncrease}`;
  if (Number.isNaN(before) || Number.isNaN(after))
    return {
      criterion: 'p95 latency',
      target,
      measured: 'not enough requests of both versions',
      verdict: 'inconclusive',
    };
  return {
    criterion: 'p95 latency',
    target,
    measured: `${(after * 1000).toFixed(1)} ms vs ${(before * 1000).toFixed(1)} ms (${(100 * (after / before - 1)).toFixed(1)}%)`,
    verdict: after <= before * (1 + parsePercent(maxIncrease)) ? 'pass' : 'fail',
  };
}

function judge(
  ctx: StepContext,
  step: StepOf<'criteria'>,
  start: Count[],
  now: Count[],
  elapsedMs: number,
): Row[] {
  const c = ctx.spec.release?.successCriteria ?? {};
  const rows: Row[] = [];
  if (c.maxDuration)
    rows.push({
      criterion: 'duration',
      target: `≤ ${c.maxDuration}`,
      measured: `${Math.round(elapsedMs / 1000)} s`,
      verdict: elapsedMs <= parseDuration(c.maxDuration) ? 'pass' : 'fail',
    });
  const delta = servedSince(start, now);
  rows.push(...errorRows(c, delta));
  if (c.maxLatencyIncrease) rows.push(latencyRow(c.maxLatencyIncrease, step, delta));
  return rows;
}

export const criteria: StepExecutor<'criteria'> = async (ctx, step) => {
  const now = await countsNow(ctx, step);
  if (step.phase === 'start')
    return typeof now === 'string' ? { result: { problem: now } } : { result: { counts: now } };
  const state = await waitHost(ctx).state();
  const start = state.steps.get('preflight/criteria-start')?.result as
    { counts?: Count[]; problem?: string } | undefined;
  const elapsed = ctx.clock.now() - Date.parse(state.startedAt ?? new Date(ctx.clock.now()).toISOString());
  const rows = judge(ctx, step, start?.counts ?? [], typeof now === 'string' ? [] : now, elapsed);
  const problem = typeof now === 'string' ? now : start?.problem;
  if (problem)
    for (const r of rows)
      if (r.criterion !== 'duration') Object.assign(r, { measured: problem, verdict: 'inconclusive' });
  const verdict: Evidence['verdict'] = rows.some((r) => r.verdict === 'fail')
    ? 'fail'
    : rows.some((r) => r.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  const summary = rows
    .map(
      (r) =>
        `${r.criterion} ${r.measured} (${r.target}) ${r.verdict === 'pass' ? '✓' : r.verdict === 'fail' ? '✗' : '?'}`,
    )
    .join('; ');
  // Not measured is not met: an inconclusive criterion fails the gate as a breach does.
  return {
    evidence: {
      verdict: verdict === 'inconclusive' ? 'fail' : verdict,
      summary: `${verdict === 'inconclusive' ? 'not measured: ' : ''}${summary}`,
      criteria: rows,
    },
  };
};
