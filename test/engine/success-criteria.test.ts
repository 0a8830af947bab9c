/**
 * Success criteria over a whole release (seed 001's "Метрики успеха"), on the local target under load: the
 * router's counts from the release's start to its end — both versions — give availability and error rate,
 * the new version's p95 is set against the old one's, and the time it took against maxDuration. A healthy
 * release meets them and says so with the numbers; a version that fails 20 % of its requests passes every
 * step (nothing else judges errors here) and is rolled back by the criteria; the plan warns when its timed
 * steps alone outlast maxDuration.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import { runCli } from '../cli/cli-helpers.js';
import { startRuntime } from './engine-harness.js';

const SPEC = (criteria: string, steps = '[{ weight: 50 }, { pause: 2s }]') => `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: criteria }
environments:
  staging:
    clusters: { stg: { local: {} } }
services:
  web:
    image: registry.example.com/web
    local:
      command: node examples/demo/service.js
      versions:
        flaky: { env: { DEMO_ERROR_RATE: "0.2" } }
    port: 8080
    replicas: 2
    health: { readiness: { path: /health/ready, period: 200ms } }
    release: { strategy: canary, steps: ${steps} }
release:
  successCriteria: { ${criteria} }
`;

describe('success criteria', { timeout: 180_000 }, () => {
  it('judges the whole release under load: met by a healthy version, breached by a flaky one', async () => {
    await using h = await startRuntime(
      SPEC('maxDuration: 2m, availability: 99%, maxErrorRate: 1%, maxLatencyIncrease: 200%'),
    );
    const c = h.controller;
    assert.equal(
      (await c.wait((await c.release({ changes: [{ service: 'web', version: 'v1' }] }, 't')).release.id))
        .state.status,
      'succeeded',
    );
    const underLoad = async (version: string) => {
      const load = new LoadGenerator({
        url: h.runtime.localTargets.get('stg')!.endpoint('web'),
        rps: 100,
        durationMs: 60_000,
      }).start();
      try {
        return await c.wait((await c.release({ changes: [{ service: 'web', version }] }, 't')).release.id);
      } finally {
        await load.stop();
      }
    };
    const good = await underLoad('v2');
    assert.equal(good.state.status, 'succeeded', h.lines.join('\n'));
    const met = good.state.steps.get('release/success-criteria')?.evidence;
    assert.equal(met?.verdict, 'pass');
    assert.match(
      met?.summary ?? '',
      /^duration \d+ s \(≤ 2m\) ✓; availability 100\.00% of \d+ \(≥ 99%\) ✓; error rate 0\.00% \(≤ 1%\) ✓; p95 latency [\d.]+ ms vs [\d.]+ ms \(-?[\d.]+%\) \(≤ \+200%\) ✓$/,
    );

    const flaky = await underLoad('flaky');
    assert.equal(
      flaky.state.status,
      'rolled-back',
      JSON.stringify(flaky.state.steps.get('release/success-criteria')),
    );
    assert.match(
      flaky.state.failure?.reason ?? '',
      /availability [\d.]+% of \d+ \(≥ 99%\) ✗; error rate [\d.]+% \(≤ 1%\) ✗/,
    );
  });

  it('fails a release that outlasts maxDuration, and the plan says so beforehand', async () => {
    await using h = await startRuntime(SPEC('maxDuration: 1s', '[{ weight: 50 }, { pause: 2s }]'));
    const c = h.controller;
    await c.wait((await c.release({ changes: [{ service: 'web', version: 'v1' }] }, 't')).release.id);
    const slow = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 't')).release.id,
    );
    assert.equal(slow.state.status, 'rolled-back');
    assert.match(slow.state.failure?.reason ?? '', /duration \d+ s \(≤ 1s\) ✗/);
    const warned = await runCli(
      'plan',
      'web@v2',
      '-f',
      `${h.stateDir}/slipway.yaml`,
      '--state-dir',
      h.stateDir,
    );
    assert.match(
      warned.stdout,
      /Warning: its timed steps alone \(pauses, bakes, analyses\) take 2 s, more than successCriteria\.maxDuration 1s/,
    );
  });
});
