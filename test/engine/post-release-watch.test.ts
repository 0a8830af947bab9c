/**
 * The post-release watch against a real Prometheus: after the last promotion the release stays open, and an
 * alert with `action: rollback` — seed 000's `increase(batman_route_flaps_total[5m]) > 50` with `for`,
 * scaled to seconds — that fires rolls every touched cluster back. A test exporter serves the KPI counter;
 * Prometheus scrapes it every second. No flaps: the release succeeds when the watch ends. Flaps after the
 * rollout: rolled back, once the expression has held for `for`, not before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { metricsExporter } from '../analysis/metrics-exporter.js';
import { startPrometheus, type RunningPrometheus } from '../analysis/prometheus-harness.js';
import { runCli } from '../cli/cli-helpers.js';
import { eventually } from '../local/local-harness.js';
import { startRuntime } from './engine-harness.js';

const PROM_ENV = 'SLIPWAY_TEST_WATCH_PROMETHEUS';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: watchtest }
environments:
  production:
    clusters: { east: { local: {} }, west: { local: {} } }
    waves: [[east], [west]]
services:
  web:
    image: registry.example.com/web
    local: { command: node examples/demo/service.js, gracePeriod: 1s }
    port: 8080
    replicas: 1
    health: { readiness: { path: /health/ready, period: 200ms } }
    alerts:
      - name: HighRouteFlaps
        expr: increase(batman_route_flaps_total[5s]) > 50
        for: 2s
        severity: critical
        action: rollback
    release: { strategy: rolling }
release:
  rollback: { mode: automatic, when: [gate-failed, alert-firing] }
  postRelease:
    watch: 6s
    interval: 250ms
    provider: { prometheus: { urlEnv: ${PROM_ENV} } }
`;

/** A KPI exporter: the route-flap counter, raised by 100 every 250 ms while flapping. */
function startExporter() {
  let flaps = 0;
  let flapping = false;
  const exporter = metricsExporter(
    () => `# TYPE batman_route_flaps_total counter\nbatman_route_flaps_total ${flaps}\n`,
    () => flapping && (flaps += 100),
  );
  return { ...exporter, flap: (on: boolean) => (flapping = on) };
}

describe('post-release watch with a real Prometheus', { timeout: 180_000 }, () => {
  const exporter = startExporter();
  let prometheus: RunningPrometheus | undefined;
  before(async () => {
    prometheus = await startPrometheus([await exporter.start()]);
  });
  after(async () => {
    await prometheus?.stop();
    await exporter.stop();
  });

  it('succeeds when no alert fires during the watch; rolls back every cluster when one does', async () => {
    await using h = await startRuntime(SPEC, { [PROM_ENV]: prometheus!.url });
    const c = h.controller;
    const stable = async () =>
      Object.fromEntries((await c.services()).map((d) => [d.cluster, d.groups.stable?.version]));

    const plan = await runCli('plan', 'web@v2', '-f', `${h.stateDir}/slipway.yaml`);
    assert.match(
      plan.stdout,
      /After the release:\n {2}- watch 6s after the last promotion, every 250ms: HighRouteFlaps \(web, for 2s\); one that fires rolls back every touched cluster/,
    );

    const quiet = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 't')).release.id,
    );
    assert.equal(quiet.state.status, 'succeeded', h.lines.join('\n'));
    const watched = quiet.state.steps.get('post-release/watch');
    assert.match(
      watched?.evidence?.summary ?? '',
      /no alert fired during the 6 s watch \(HighRouteFlaps; \d+ evaluations\)/,
    );
    assert.deepEqual(await stable(), { east: 'v2', west: 'v2' });

    const id = (await c.release({ changes: [{ service: 'web', version: 'v3' }] }, 't')).release.id;
    await eventually(
      async () => (await c.get(id)).state.steps.get('post-release/watch')?.startedAt !== undefined,
      60_000,
      'the watch to begin',
    );
    // Both clusters run v3 now: the watch is all that stands between them and success.
    assert.deepEqual(await stable(), { east: 'v3', west: 'v3' });
    const flapsFrom = Date.now();
    exporter.flap(true);
    const flapped = await c.wait(id);
    exporter.flap(false);
    assert.equal(flapped.state.status, 'rolled-back', h.lines.join('\n'));
    assert.match(
      flapped.state.failure?.reason ?? '',
      /alert HighRouteFlaps of web fired \(held [2-9] s, for 2 s\): \{instance="[\d.:]+", job="slipway"\} = [\d.]+/,
    );
    // It fired after holding for 2 s, so no sooner than that after the flaps began.
    const failedAt = (await h.runtime.store.events(id)).find((e) => e.type === 'gate-failed')!;
    assert.ok(Date.parse(failedAt.time) - flapsFrom >= 2000, 'the alert held for its `for` first');
    assert.deepEqual(await stable(), { east: 'v2', west: 'v2' });
  });
});
