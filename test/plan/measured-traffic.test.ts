/**
 * With no traffic in the spec, the plan turns each analysis's sample into time at the traffic the last
 * analysis of that service measured: read from the history (the real loop's evidence in a real store).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runAnalysis } from '../../src/analysis/analysis-loop.js';
import type { TrafficMetrics } from '../../src/engine/ports.js';
import { measuredTraffic } from '../../src/plan/measured-traffic.js';
import { planRelease } from '../../src/plan/plan-release.js';
import { requireSpec } from '../../src/spec/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ManualClock } from '../../src/time/manual-clock.js';

/** 40 canary and 160 baseline requests a second, the baseline failing one in 200, on the clock. */
function steadyTraffic(clock: ManualClock): TrafficMetrics {
  return {
    open: async ({ version }) => {
      const from = clock.now();
      return {
        read: async () => {
          const seconds = (clock.now() - from) / 1000;
          const requests = Math.floor((version === 'v2' ? 40 : 160) * seconds);
          return {
            kind: 'window',
            window: { requests, errors: Math.floor(requests / 200), quantile: () => 0.01 },
          };
        },
      };
    },
  };
}

describe('traffic measured by the last analysis', () => {
  it('is read from the history and turns the plan’s sample sizes into time', async () => {
    const clock = new ManualClock();
    const evidence = await runAnalysis({
      template: 'default',
      definition: { interval: '1s', maxDuration: '30s', minSample: 50, sequential: {} },
      cluster: 'prod-east',
      service: 'web',
      namespace: 'demo',
      version: 'v2',
      baselineVersion: 'v1',
      durationMs: 20_000,
      traffic: steadyTraffic(clock),
      clock,
    });
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'slipway-measured-')), 'state.db'));
    await store.createRelease({
      id: 'r-earlier',
      platform: 'demo',
      kind: 'release',
      createdAt: new Date().toISOString(),
      createdBy: 'test',
      request: {},
      plan: {},
      status: 'succeeded',
    });
    await store.append('r-earlier', {
      type: 'step-completed',
      payload: { step: 'production/prod-east/web/03-analysis', evidence },
      actor: 'engine',
    });
    const measured = await measuredTraffic(store);
    await store.close();
    const seen = measured.get('prod-east/web');
    assert.ok(seen, JSON.stringify([...measured]));
    assert.ok(Math.abs(seen.requestsPerSecond - 200) < 10, `${seen.requestsPerSecond} requests/s`);
    assert.ok(Math.abs(seen.errorRate - 0.005) < 0.001, `${seen.errorRate}`);
    assert.equal(seen.release, 'r-earlier');

    const { spec } = requireSpec('examples/demo/slipway.yaml');
    const web = { ...spec.services['web']! };
    delete web.traffic;
    const undeclared = { ...spec, services: { ...spec.services, web } };
    const plan = planRelease(
      undeclared,
      { changes: [{ service: 'web', version: 'v2' }] },
      () => 'v1',
      measured,
    );
    const east = plan.steps.filter((s) => s.kind === 'analysis' && s.cluster === 'prod-east');
    // 200 requests/s × 25 %: 50 canary requests/s, at the 0.5 % error rate measured.
    assert.match(
      east[0]!.title,
      /at the 0\.5% error rate measured in r-earlier: \d+s at 50 canary requests\/s \(the traffic measured in r-earlier\)/,
    );
    const west = plan.steps.find((s) => s.kind === 'analysis' && s.cluster === 'prod-west')!;
    assert.match(
      west.title,
      /if error-free \(gives up after \d+\)$/,
      'nothing measured on prod-west: no time',
    );
  });
});
