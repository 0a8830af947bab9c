import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyHistogram } from './latency-histogram.js';

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

describe('LatencyHistogram', () => {
  it('reports quantiles within 1% of the exact order statistic', () => {
    const h = new LatencyHistogram();
    const samples: number[] = [];
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 50_000; i++) {
      const s =
        0.002 * Math.exp(0.8 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
      samples.push(s);
      h.record(s);
    }
    samples.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
      const exact = exactQuantile(samples, q);
      const approx = h.quantile(q);
      assert.ok(Math.abs(approx - exact) / exact < 0.011, `q${q}: ${approx} vs ${exact}`);
    }
  });

  it('subtracts snapshots to give a window', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 100; i++) h.record(0.001);
    const before = h.snapshot();
    for (let i = 0; i < 100; i++) h.record(0.1);
    const window = h.since(before);
    assert.equal(window.count, 100);
    assert.ok(Math.abs(window.quantile(0.5) - 0.1) / 0.1 < 0.011);
    assert.ok(Number.isNaN(new LatencyHistogram().quantile(0.5)));
  });
});
