/** The README's main command: `slipway demo --json`, with real processes and traffic. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { DemoResult } from '../../src/demo/run-demo.js';

/** Replicas of the demo's own clusters (other tests run the same service on other cluster names). */
const DEMO_CLUSTERS = ['SLIPWAY_CLUSTER=staging', 'SLIPWAY_CLUSTER=prod-east', 'SLIPWAY_CLUSTER=prod-west'];
const demoProcesses = () =>
  spawnSync('pgrep', ['-f', 'examples/demo/service.js'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .filter(Boolean)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .some((v) => DEMO_CLUSTERS.includes(v));
      } catch {
        return false;
      }
    });

describe('slipway demo', { timeout: 300_000 }, () => {
  it('releases v2 with zero failed requests, rolls v3 back, and leaves no process running', () => {
    const run = spawnSync(process.execPath, ['bin/slipway.js', 'demo', '--json'], {
      encoding: 'utf8',
      timeout: 280_000,
    });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as DemoResult;
    assert.deepEqual(
      result.releases.map((r) => [r.version, r.outcome]),
      [
        ['v2', 'succeeded'],
        ['v3', 'rolled-back'],
      ],
    );
    const [v2, v3] = result.releases;
    assert.equal(v2?.failedRequests, 0);
    assert.ok((v3?.failedRequests ?? 0) > 0, 'v3 fails some requests before it is caught');
    assert.ok(v3?.decisionSeconds !== null && (v3?.decisionSeconds ?? 99) < 30);
    assert.deepEqual(result.finalVersions, { 'prod-east': 'v2', 'prod-west': 'v2', staging: 'v2' });
    assert.ok(result.requestsServed > 5000);
    // The controller's dashboard was up during the demo, with a token to sign in.
    assert.match(result.dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(result.dashboard.token, /^slw_/);
    assert.deepEqual(demoProcesses(), [], 'the demo left replicas running');
  });
});
