import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrafficMetrics } from '../engine/ports.js';
import { LatencyHistogram } from '../metrics/latency-histogram.js';
import { runAnalysis } from './analysis-loop.js';
import { judgeSequentialErrors } from './judges/sequential.js';
import { appendPoint, MAX_TRACE_POINTS, type TracePoint } from './analysis-trace.js';
import type { Evidence } from '../engine/events.js';
import { type Clock, systemClock } from '../time/clock.js';
import { ManualClock } from '../time/manual-clock.js';

/** Counters that grow with time, like a router's: `rate` requests/s at `errorRate`, latency `seconds`. */
function fakeMetrics(
  arms: Record<string, { rate: number; errorRate: number; seconds: number }>,
  clock: Clock = systemClock,
): TrafficMetrics {
  const t0 = clock.now();
  const counted = (version: string) => {
    const arm = arms[version];
    if (!arm) return undefined;
    const n = Math.floor(((clock.now() - t0) / 1000) * arm.rate);
    const h = new LatencyHistogram();
    for (let i = 0; i < n; i++) h.record(arm.seconds);
    return { requests: n, errors: Math.round(n * arm.errorRate), h };
  };
  return {
    open: async ({ version }) => {
      const start = counted(version);
      return {
        read: async () => {
          const now = counted(version);
          if (!now) return { kind: 'window', window: { requests: 0, errors: 0, quantile: () => Number.NaN } };
          const h = start ? now.h.since(start.h) : now.h;
          return {
            kind: 'window',
            window: {
              requests: now.requests - (start?.requests ?? 0),
              errors: now.errors - (start?.errors ?? 0),
              quantile: (q: number) => h.quantile(q),
            },
          };
        },
        recentLatencies: (n: number) => {
          const arm = arms[version];
          // Spread around the arm's latency, as real latencies are.
          return arm
            ? Array.from({ length: Math.min(n, 2000) }, (_, i) => arm.seconds * (0.8 + (i % 41) / 100))
            : [];
        },
      };
    },
  };
}

const template = {
  interval: '50ms',
  minSample: 20,
  errorRate: { max: '1%' as const },
  latencyP95: { maxIncrease: '20%' as const },
};
const base = {
  template: 'default',
  cluster: 'c',
  service: 'web',
  namespace: 'ns',
  version: 'v2',
  baselineVersion: 'v1',
};

describe('analysis loop', () => {
  it('fails early on an error rate over the ceiling', async () => {
    const metrics = fakeMetrics({
      v2: { rate: 400, errorRate: 0.05, seconds: 0.002 },
      v1: { rate: 400, errorRate: 0, seconds: 0.002 },
    });
    const e = await runAnalysis({ ...base, definition: template, durationMs: 5000, traffic: metrics });
    assert.equal(e.verdict, 'fail');
    assert.match(
      e.summary,
      /errors \d+\.\d+% vs baseline 0\.00%|error rate \d+\.\d+% over \d+ requests exceeds 1\.00%/,
    );
    assert.ok((e['elapsedMs'] as number) < 5000, 'decided before the window ended');
  });

  it('passes a healthy canary and is inconclusive without enough traffic', async () => {
    // ~920 error-free canary requests rule out the default regression (2× and +0.5 points).
    const healthy = fakeMetrics({
      v2: { rate: 2500, errorRate: 0, seconds: 0.002 },
      v1: { rate: 2500, errorRate: 0, seconds: 0.002 },
    });
    assert.equal(
      (await runAnalysis({ ...base, definition: template, durationMs: 600, traffic: healthy })).verdict,
      'pass',
    );
    const idle = fakeMetrics({ v2: { rate: 5, errorRate: 0, seconds: 0.002 } });
    const e = await runAnalysis({ ...base, definition: template, durationMs: 300, traffic: idle });
    assert.equal(e.verdict, 'inconclusive');
  });

  it('judges latency once, at the end, with Mann-Whitney and the Hodges-Lehmann shift', async () => {
    const slower = fakeMetrics({
      v2: { rate: 2500, errorRate: 0, seconds: 0.05 },
      v1: { rate: 2500, errorRate: 0, seconds: 0.01 },
    });
    const e = await runAnalysis({ ...base, definition: template, durationMs: 600, traffic: slower });
    assert.equal(e.verdict, 'fail');
    assert.match(e.summary, /latency shifted by/);
    assert.ok((e['elapsedMs'] as number) >= 600);
    const jitter = fakeMetrics({
      v2: { rate: 2500, errorRate: 0, seconds: 0.0039 },
      v1: { rate: 2500, errorRate: 0, seconds: 0.0037 },
    });
    assert.equal(
      (await runAnalysis({ ...base, definition: template, durationMs: 600, traffic: jitter })).verdict,
      'pass',
    );
  });

  // A 2× regression (0.5 % → 1 %) at low traffic: the window ends before the sequential test can decide.
  const doubled = () =>
    fakeMetrics({
      v2: { rate: 200, errorRate: 0.01, seconds: 0.002 },
      v1: { rate: 800, errorRate: 0.005, seconds: 0.002 },
    });
  const noCeiling = { interval: '50ms', minSample: 20, sequential: {} };

  it('never passes a window that ends before the sequential test decided', async () => {
    const definition = { ...noCeiling, maxDuration: '400ms' };
    const e = await runAnalysis({ ...base, definition, durationMs: 400, traffic: doubled() });
    assert.equal(e.verdict, 'inconclusive');
    assert.match(e.summary, /had not decided when the analysis ended .*canary requests/);
  });

  it('without a maxDuration, runs on while the test can decide, and stops at once when traffic cannot', async () => {
    // 1,500 healthy canary requests/s: ~920 needed, so undecided at 300 ms and accepted soon after.
    const healthy = fakeMetrics({
      v2: { rate: 1500, errorRate: 0, seconds: 0.002 },
      v1: { rate: 1500, errorRate: 0, seconds: 0.002 },
    });
    const on = await runAnalysis({ ...base, definition: noCeiling, durationMs: 300, traffic: healthy });
    assert.equal(on.verdict, 'pass', on.summary);
    assert.ok((on['elapsedMs'] as number) > 300, `${on['elapsedMs']} ms`);
    // 2 canary requests/s cannot reach the maximum sample (thousands) within the limit: inconclusive at
    // the end of the window, with the numbers, instead of waiting ten minutes.
    const trickle = fakeMetrics({
      v2: { rate: 2, errorRate: 0, seconds: 0.002 },
      v1: { rate: 8, errorRate: 0, seconds: 0.002 },
    });
    const started = Date.now();
    const off = await runAnalysis({
      ...base,
      definition: { ...noCeiling, minSample: 0 },
      durationMs: 1200,
      traffic: trickle,
    });
    assert.equal(off.verdict, 'inconclusive');
    assert.match(off.summary, /canary requests\/s it would not reach its maximum sample of \d+ within/);
    assert.ok(Date.now() - started < 5000, 'it did not wait for traffic that cannot come');
  });

  it('passes such a window only when the template accepts a fixed-window design, and says so', async () => {
    const e = await runAnalysis({
      ...base,
      definition: { ...noCeiling, decision: 'fixed-window' },
      durationMs: 400,
      traffic: doubled(),
    });
    assert.equal(e.verdict, 'pass');
    assert.match(e.summary, /fixed window: the miss rate is not bounded/);
    assert.match(String(e['design']), /not bounded/);
  });

  it('extends an undecided window up to maxDuration, then decides on the evidence', async () => {
    // 1,500 healthy canary requests/s: ~920 needed, so undecided at 300 ms and accepted by about 650 ms.
    const healthy = fakeMetrics({
      v2: { rate: 1500, errorRate: 0, seconds: 0.002 },
      v1: { rate: 1500, errorRate: 0, seconds: 0.002 },
    });
    const definition = { ...template, maxDuration: '3s' };
    const e = await runAnalysis({ ...base, definition, durationMs: 300, traffic: healthy });
    assert.equal(e.verdict, 'pass');
    assert.ok((e['elapsedMs'] as number) > 300 && (e['elapsedMs'] as number) < 3000, `${e['elapsedMs']} ms`);
    assert.ok((e['canaryRequests'] as number) >= 900, `${String(e['canaryRequests'])} canary requests`);
  });

  it('judges the latency quantile rules at the end: p95 and p99 ceilings, p99 against the baseline', async () => {
    const arms = (canary: number, baseline: number) =>
      fakeMetrics({
        v2: { rate: 2500, errorRate: 0, seconds: canary },
        v1: { rate: 2500, errorRate: 0, seconds: baseline },
      });
    const rules = { interval: '50ms', minSample: 20, decision: 'fixed-window' as const };
    const slowP95 = await runAnalysis({
      ...base,
      definition: { ...rules, latencyP95: { max: '20ms' } },
      durationMs: 300,
      traffic: arms(0.05, 0.01),
    });
    assert.equal(slowP95.verdict, 'fail');
    assert.match(slowP95.summary, /p95 latency 5\d\.\d\d ms over 20\.00 ms/);
    const p99 = { ...rules, latencyP99: { maxIncrease: '50%' as const } };
    assert.equal(
      (await runAnalysis({ ...base, definition: p99, durationMs: 300, traffic: arms(0.05, 0.01) })).verdict,
      'fail',
    );
    const close = await runAnalysis({
      ...base,
      definition: p99,
      durationMs: 300,
      traffic: arms(0.0105, 0.01),
    });
    assert.equal(close.verdict, 'pass', close.summary);
    assert.match(close.summary, /p99 latency 10\.\d\d ms vs baseline 10\.\d\d ms: within 5\.\d\d ms above/);
    // Too few requests for a quantile: the question stays open, never a pass.
    const idle = fakeMetrics({
      v2: { rate: 20, errorRate: 0, seconds: 0.001 },
      v1: { rate: 20, errorRate: 0, seconds: 0.001 },
    });
    const open = await runAnalysis({
      ...base,
      definition: { ...p99, minSample: 1000 },
      durationMs: 300,
      traffic: idle,
    });
    assert.equal(open.verdict, 'inconclusive', open.summary);
  });

  it('reads errorRate.maxIncrease as the error ratio a promotion must rule out', () => {
    // Canary and baseline both at 5 % errors: 500 canary requests rule out 2× but not 1.5×.
    const c = { canaryRequests: 500, canaryErrors: 25, baselineRequests: 4500, baselineErrors: 225 };
    assert.equal(judgeSequentialErrors(c, { alpha: 0.01, beta: 0.01 }).verdict, 'pass');
    assert.equal(judgeSequentialErrors(c, { alpha: 0.01, beta: 0.01, rBad: 1.5 }).verdict, 'inconclusive');
  });

  it('keeps the analysis over time: a point a round, live samples while it runs', async () => {
    const metrics = fakeMetrics({
      v2: { rate: 400, errorRate: 0.05, seconds: 0.002 },
      v1: { rate: 400, errorRate: 0.001, seconds: 0.001 },
    });
    const samples: Evidence[] = [];
    const e = await runAnalysis({
      ...base,
      definition: { interval: '50ms', minSample: 20, sequential: {} },
      durationMs: 5000,
      traffic: metrics,
      onSample: (sample) => samples.push(sample),
    });
    assert.equal(e.verdict, 'fail', e.summary);
    const trace = e['trace'] as TracePoint[];
    assert.ok(trace.length >= 2, `a point a round (${trace.length})`);
    assert.ok(
      trace.every((p, i) => i === 0 || p.t > trace[i - 1]!.t),
      'in time order',
    );
    const last = trace.at(-1)!;
    // The failing round's statistic is at or over its bound, and the rates are the arms'.
    assert.ok(last.logLambda! >= last.failBound!, JSON.stringify(last));
    assert.ok(last.canaryErrorRate! > 0.03 && last.baselineErrorRate! < 0.01, JSON.stringify(last));
    assert.ok(last.canaryP95Ms! > last.baselineP95Ms!, 'p95 of each arm, in ms');
    assert.equal(samples.length, trace.length - 1, 'a live sample after every round but the deciding one');
    assert.ok(samples.every((s) => s['running'] === true));
  });

  it('halves the resolution of a full trace instead of growing', () => {
    const trace: TracePoint[] = [];
    for (let t = 0; t < 1000; t++) appendPoint(trace, { t });
    assert.ok(trace.length <= MAX_TRACE_POINTS);
    assert.equal(trace.at(-1)!.t, 999, 'the newest point is kept');
    assert.ok(trace[0]!.t < 20, 'the start is kept');
  });
});

describe('measurements over time (count, failureLimit)', () => {
  /** A metric provider answering the given values in turn (the last one after that), counting its queries. */
  const answering = (...values: number[]) => {
    let n = 0;
    return {
      provider: {
        name: 'fake',
        query: async () => ({ kind: 'value' as const, value: values[Math.min(n++, values.length - 1)]! }),
      },
      queries: () => n,
    };
  };
  const counted = (count: number, failureLimit?: number) => ({
    interval: '30ms',
    count,
    ...(failureLimit !== undefined ? { failureLimit } : {}),
    metrics: [{ name: 'queue', query: 'q', max: 10 }],
  });
  const run = (definition: ReturnType<typeof counted>, p: ReturnType<typeof answering>, extra = {}) =>
    runAnalysis({
      ...base,
      definition,
      durationMs: 60_000,
      traffic: fakeMetrics({}),
      provider: p.provider,
      ...extra,
    });

  it('takes `count` measurements and ends, even in a window that would run on (a background analysis)', async () => {
    const p = answering(5);
    const e = await run(counted(3), p, { windowEnd: new AbortController().signal });
    assert.equal(e.verdict, 'pass');
    assert.equal(p.queries(), 3);
  });

  it('a failed measurement within failureLimit passes; one more fails', async () => {
    const within = answering(5, 20, 5, 5);
    assert.equal((await run(counted(4, 1), within)).verdict, 'pass');
    assert.equal(within.queries(), 4);
    const over = answering(5, 20, 20, 5);
    const e = await run(counted(4, 1), over);
    assert.equal(e.verdict, 'fail');
    assert.equal(over.queries(), 3, 'decided at the second failure, before the last measurement');
  });
});

describe('the analysis loop on simulated time', () => {
  /** The default analysis (5 s rounds, a 30 s window, then on while it can decide) on a ManualClock. */
  const simulated = (
    canary: { rate: number; errorRate: number },
    baseline: { rate: number; errorRate: number },
  ) => {
    const clock = new ManualClock();
    const traffic = fakeMetrics(
      { v2: { ...canary, seconds: 0.002 }, v1: { ...baseline, seconds: 0.002 } },
      clock,
    );
    return runAnalysis({
      ...base,
      definition: { interval: '5s', sequential: {} },
      durationMs: 30_000,
      traffic,
      clock,
    });
  };

  it('runs the default 30 s window at 200 requests/s on a ManualClock: a 2× regression is never passed', async () => {
    // The case the decision-quality issue found passed 90 % of the time: baseline 0.5 % errors, the canary
    // at 20 % of 200 requests/s with twice that.
    const e = await simulated({ rate: 40, errorRate: 0.01 }, { rate: 160, errorRate: 0.005 });
    assert.notEqual(e.verdict, 'pass', e.summary);
    assert.ok((e['elapsedMs'] as number) >= 30_000, `the whole window, on simulated time: ${e['elapsedMs']}`);
  });

  it('a healthy canary is promoted on simulated time, once the test has accepted', async () => {
    const e = await simulated({ rate: 400, errorRate: 0 }, { rate: 1600, errorRate: 0 });
    assert.equal(e.verdict, 'pass', e.summary);
    const elapsed = e['elapsedMs'] as number;
    assert.ok(elapsed >= 5_000 && elapsed % 5_000 === 0, `decided on a round: ${elapsed}`);
  });
});
