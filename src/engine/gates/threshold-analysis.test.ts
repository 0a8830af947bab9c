import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyHistogram } from '../../targets/local/metrics/latency-histogram.js';
import type { TrafficMetrics, TrafficSnapshot } from '../ports.js';
import { runThresholdAnalysis } from './threshold-analysis.js';

/** Counters that grow with time, like a router's: `rate` requests/s at `errorRate`, latency `seconds`. */
class Growing implements TrafficSnapshot {
  constructor(
    readonly requests: number,
    readonly errors: number,
    private readonly h: LatencyHistogram,
  ) {}
  quantile(q: number) {
    return this.h.quantile(q);
  }
  since(e: TrafficSnapshot) {
    const earlier = e as Growing;
    return new Growing(
      this.requests - earlier.requests,
      this.errors - earlier.errors,
      this.h.since(earlier.h),
    );
  }
}

function fakeMetrics(
  arms: Record<string, { rate: number; errorRate: number; seconds: number }>,
): TrafficMetrics {
  const t0 = Date.now();
  return {
    snapshot: (_c, _s, version) => {
      const arm = arms[version];
      if (!arm) return undefined;
      const n = Math.floor(((Date.now() - t0) / 1000) * arm.rate);
      const h = new LatencyHistogram();
      for (let i = 0; i < n; i++) h.record(arm.seconds);
      return new Growing(n, Math.round(n * arm.errorRate), h);
    },
  };
}

const template = {
  interval: '50ms',
  minSample: 20,
  errorRate: { max: '1%' as const },
  latencyP95: { maxIncrease: '20%' as const },
};
const base = { template: 'default', cluster: 'c', service: 'web', version: 'v2', baselineVersion: 'v1' };

describe('threshold analysis (interim)', () => {
  it('fails early on an error rate over the ceiling', async () => {
    const metrics = fakeMetrics({
      v2: { rate: 400, errorRate: 0.05, seconds: 0.002 },
      v1: { rate: 400, errorRate: 0, seconds: 0.002 },
    });
    const e = await runThresholdAnalysis({ ...base, definition: template, durationMs: 5000, metrics });
    assert.equal(e.verdict, 'fail');
    assert.match(e.summary, /error rate 5\.\d+% over \d+ requests exceeds 1\.00%/);
    assert.ok((e['elapsedMs'] as number) < 5000, 'decided before the window ended');
  });

  it('passes a healthy canary and is inconclusive without enough traffic', async () => {
    const healthy = fakeMetrics({
      v2: { rate: 400, errorRate: 0, seconds: 0.002 },
      v1: { rate: 400, errorRate: 0, seconds: 0.002 },
    });
    assert.equal(
      (await runThresholdAnalysis({ ...base, definition: template, durationMs: 600, metrics: healthy }))
        .verdict,
      'pass',
    );
    const idle = fakeMetrics({ v2: { rate: 5, errorRate: 0, seconds: 0.002 } });
    const e = await runThresholdAnalysis({ ...base, definition: template, durationMs: 300, metrics: idle });
    assert.equal(e.verdict, 'inconclusive');
  });

  it('judges latency once, at the end, beyond a 1 ms floor', async () => {
    const slower = fakeMetrics({
      v2: { rate: 400, errorRate: 0, seconds: 0.05 },
      v1: { rate: 400, errorRate: 0, seconds: 0.01 },
    });
    const e = await runThresholdAnalysis({ ...base, definition: template, durationMs: 600, metrics: slower });
    assert.equal(e.verdict, 'fail');
    assert.match(e.summary, /p95 .* above the baseline/);
    assert.ok((e['elapsedMs'] as number) >= 600);
    const jitter = fakeMetrics({
      v2: { rate: 400, errorRate: 0, seconds: 0.0046 },
      v1: { rate: 400, errorRate: 0, seconds: 0.0037 },
    });
    assert.equal(
      (await runThresholdAnalysis({ ...base, definition: template, durationMs: 600, metrics: jitter }))
        .verdict,
      'pass',
    );
  });
});
