/**
 * One error budget per release: the analyses that compare a canary with its baseline share the template's
 * α, so a healthy release is failed with probability at most α however many analyses it runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAnalysis } from '../../src/analysis/analysis-loop.js';
import type { TrafficMetrics } from '../../src/engine/ports.js';
import { planRelease } from '../../src/plan/plan-release.js';
import { requireSpec } from '../../src/spec/index.js';

describe('one error budget per release', () => {
  it('spreads α over every sequential analysis of the release', () => {
    const { spec } = requireSpec('examples/demo/slipway.yaml');
    const plan = planRelease(spec, { changes: [{ service: 'web', version: 'v2' }] }, () => 'v1');
    const analyses = plan.steps.filter((s) => s.kind === 'analysis');
    assert.equal(analyses.length, 6, 'two analyses on each of three clusters');
    for (const a of analyses) {
      assert.equal(a.kind === 'analysis' && a.alphaShare, 1 / 6);
      assert.match(a.title, /α 0\.0017 \(the release's 0\.01 over its 6 analyses\)/);
    }
    const one = planRelease(
      spec,
      { changes: [{ service: 'web', version: 'v2' }], environments: ['staging'] },
      () => 'v1',
    );
    const single = one.steps.filter((s) => s.kind === 'analysis');
    assert.equal(single.length, 2);
    assert.ok(single.every((a) => a.kind === 'analysis' && a.alphaShare === 1 / 2));
  });

  it('an analysis fails at ln(1/(α·share)), not ln(1/α)', async () => {
    // A canary with a few more errors than its baseline: enough for the full α, not for a sixth of it.
    const counts = { v2: { requests: 2000, errors: 13 }, v1: { requests: 2000, errors: 1 } };
    const traffic: TrafficMetrics = {
      open: async ({ version }) => ({
        read: async () => ({
          kind: 'window',
          window: { ...counts[version as 'v1' | 'v2'], quantile: () => Number.NaN },
        }),
      }),
    };
    const input = {
      template: 't',
      // A fixed length: the shared α's analysis ends undecided at once instead of running on.
      definition: { interval: '10ms', maxDuration: '30ms', sequential: {} },
      cluster: 'c',
      service: 's',
      namespace: 'n',
      version: 'v2',
      baselineVersion: 'v1',
      durationMs: 30,
      traffic,
    };
    const whole = await runAnalysis(input);
    const shared = await runAnalysis({ ...input, alphaShare: 1 / 6 });
    const bound = (e: typeof whole) =>
      (e['judgements'] as { failBound?: number }[]).find((j) => j.failBound !== undefined)?.failBound;
    assert.equal(bound(whole)?.toFixed(3), Math.log(100).toFixed(3));
    assert.equal(bound(shared)?.toFixed(3), Math.log(600).toFixed(3));
    assert.equal(whole.verdict, 'fail', whole.summary);
    assert.notEqual(shared.verdict, 'fail', shared.summary);
  });
});
