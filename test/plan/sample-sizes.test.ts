/**
 * The plan states each sequential analysis's expected and maximum canary requests to promote and, from the
 * service's declared traffic and the canary's weight at that step, how long they take — and warns when an
 * analysis cannot decide before its limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptanceSample } from '../../src/analysis/judges/sequential.js';
import { planRelease } from '../../src/plan/plan-release.js';
import type { Platform } from '../../src/spec/schema/platform.js';
import { requireSpec } from '../../src/spec/index.js';

function planWith(traffic: Platform['services'][string]['traffic']) {
  const { spec } = requireSpec('examples/demo/slipway.yaml');
  const web = { ...spec.services['web']! };
  if (traffic) web.traffic = traffic;
  else delete web.traffic;
  const changed = { ...spec, services: { ...spec.services, web } };
  return planRelease(
    changed,
    { changes: [{ service: 'web', version: 'v2' }], environments: ['staging'] },
    () => 'v1',
  );
}

const analyses = (plan: ReturnType<typeof planWith>) => plan.steps.filter((s) => s.kind === 'analysis');
// The demo's template: α 0.01 shared by the release's two analyses, β 0.01, 1 point more errors to catch.
const rule = { alpha: 0.01 / 2, beta: 0.01, minIncrease: 0.01, minSample: 50 };

describe('sample sizes in the plan', () => {
  it('states the expected and maximum canary requests, and their time at the canary weight', () => {
    const plan = planWith({ requestsPerSecond: 400, errorRate: '0.5%' });
    const { expected, maximum } = acceptanceSample(0.005, rule);
    const [first, second] = analyses(plan);
    // The demo canary takes 25 %, then 50 %: 100 and 200 canary requests/s.
    assert.ok(
      first!.title.includes(
        `promotes after about ${expected} canary requests at a 0.5% error rate: ${Math.round(expected / 100)}s at 100 canary requests/s (gives up after ${maximum}: ${Math.round(maximum / 100)}s)`,
      ),
      first!.title,
    );
    assert.ok(
      second!.title.includes(`${Math.round(expected / 200)}s at 200 canary requests/s`),
      second!.title,
    );
    assert.ok(expected > acceptanceSample(0, rule).expected, 'errors at the baseline lengthen the analysis');
  });

  it('without declared traffic states the requests alone, and warns of nothing', () => {
    const plan = planWith(undefined);
    const { expected, maximum } = acceptanceSample(0, rule);
    for (const a of analyses(plan))
      assert.ok(
        a.title.endsWith(
          `promotes after about ${expected} canary requests if error-free (gives up after ${maximum})`,
        ),
        a.title,
      );
    assert.ok(!(plan.warnings ?? []).some((w) => /canary requests\/s/.test(w)));
  });

  it('warns when the traffic is too little to decide before the analysis gives up', () => {
    // 20 requests/s × 25 % = 5 canary requests/s: ~460 requests take ~90 s, past the template's 20 s.
    const plan = planWith({ requestsPerSecond: 20 });
    const warning = (plan.warnings ?? []).find((w) => w.includes('too little traffic to decide'));
    assert.ok(warning, JSON.stringify(plan.warnings));
    assert.match(
      warning,
      /^staging\/staging\/web\/\d+-analysis: too little traffic to decide — at 5\.0 canary requests\/s \(20\/s × 25%\)/,
    );
    assert.match(warning, /raise the weight or the template's maxDuration/);
  });

  it('warns when a declared error rate puts the maximum sample past the limit', () => {
    // 250/s × 25 %: the expected sample fits in 20 s at 0.2 % errors, its maximum (three times) does not.
    const plan = planWith({ requestsPerSecond: 250, errorRate: '0.2%' });
    const { maximum } = acceptanceSample(0.002, rule);
    const warning = (plan.warnings ?? []).find((w) => w.includes('maximum sample'));
    assert.ok(warning, JSON.stringify(plan.warnings));
    assert.ok(warning.includes(`its maximum sample of ${maximum} after`), warning);
    assert.ok(!(plan.warnings ?? []).some((w) => w.includes('too little traffic')));
  });
});
