/**
 * The local data plane outlives its controller: under 100 requests/s, the controller (`slipway serve`) is
 * killed with SIGKILL at ≥ 10 random moments of canary releases and started again each time. No request
 * fails, the data plane and every replica are taken back, not restarted (same pids, no restarts), the
 * router keeps its port, and each release ends as an uninterrupted one does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { seededRandom } from '../../src/analysis/stats/seeded-random.js';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import type { SerializedRelease } from '../../src/server/views.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ReplicaStatus, ServiceStatus } from '../../src/targets/target.js';
import { sleep } from '../local/local-harness.js';
import { callController, type Controller, startController, stop } from './controller-harness.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: dataplane-kill }
environments:
  staging:
    clusters: { stg: { local: {} } }
services:
  web:
    image: registry.example.com/web
    local: { command: node examples/demo/service.js, gracePeriod: 2s }
    port: 8080
    replicas: 2
    health: { readiness: { path: /health/ready, period: 200ms } }
    release:
      strategy: canary
      steps: [{ weight: 25 }, { pause: 2s }, { weight: 50 }, { analysis: quick, for: 2s }, { pause: 1s }]
analysis:
  quick: { provider: builtin, interval: 250ms, minSample: 0, errorRate: { max: 1% }, decision: fixed-window }
`;

const TERMINAL = new Set(['succeeded', 'rolled-back', 'failed']);

const api = callController;

/** Every live replica of the cluster, by id, as its data plane reports them (its admin /status). */
async function liveReplicas(admin: string): Promise<Map<string, ReplicaStatus>> {
  const services = (await (await fetch(`${admin}/status`)).json()) as ServiceStatus[];
  return new Map(services.flatMap((s) => s.groups.flatMap((g) => g.replicas.map((r) => [r.id, r] as const))));
}

/** The router's address a controller printed: `cluster stg: metrics …; web URL`. */
const routerOf = (c: Controller) => /cluster stg: metrics \S+; web (\S+)/.exec(c.output())?.[1];

describe('the local data plane through controller crashes', { timeout: 600_000 }, () => {
  it('keeps serving every request, replica and port while the controller is killed ≥ 10 times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-dataplane-kill-'));
    writeFileSync(join(dir, 'slipway.yaml'), SPEC);
    const dataPlanePid = () =>
      (JSON.parse(readFileSync(join(dir, 'state', 'run', 'dataplane.json'), 'utf8')) as { pid: number }).pid;
    const random = seededRandom(20261130);
    let c = await startController(dir);
    const router = routerOf(c);
    const admin = /cluster stg: metrics (\S+)\/metrics/.exec(c.output())?.[1];
    assert.ok(router && admin, c.output());
    const dataPlane = dataPlanePid();
    const first = await api<SerializedRelease>(c, 'POST', '/v1/releases', {
      request: { changes: [{ service: 'web', version: 'v1' }] },
    });
    for (let r = first; !TERMINAL.has(r?.status ?? ''); await sleep(100))
      r = await api<SerializedRelease>(c, 'GET', `/v1/releases/${first!.id}`);
    const load = new LoadGenerator({ url: `${router}/`, rps: 100, durationMs: 300_000 }).start();
    let kills = 0;
    let report: Awaited<ReturnType<LoadGenerator['stop']>> | undefined;
    const ids: string[] = [];
    try {
      for (let version = 2; kills < 10 || ids.length < 2; version++) {
        const created = await api<SerializedRelease>(c, 'POST', '/v1/releases', {
          request: { changes: [{ service: 'web', version: `v${version}` }] },
        });
        assert.ok(created?.id, c.output());
        ids.push(created.id);
        // A kill at a random moment once each step has started: every kill lands in a later step, and a
        // step that starts again after a restart (an analysis takes a fresh window) can still finish.
        let killedAt = 0;
        for (;;) {
          const view = await api<SerializedRelease>(c, 'GET', `/v1/releases/${created.id}`);
          if (view && TERMINAL.has(view.status)) break;
          const started = view?.steps.filter((s) => s.startedAt).length ?? 0;
          if (started <= killedAt) {
            await sleep(50);
            continue;
          }
          killedAt = started;
          await sleep(random() * 600);
          const before = await liveReplicas(admin);
          c.child.kill('SIGKILL');
          await c.exited;
          kills++;
          c = await startController(dir);
          assert.equal(routerOf(c), router, `the router moved: ${c.output()}`);
          assert.equal(dataPlanePid(), dataPlane, 'the data plane was replaced');
          // Taken back, not restarted: a replica still there has its pid (the resumed release may have
          // retired some since), and none was ever restarted.
          const after = await liveReplicas(admin);
          for (const [id, r] of after)
            if (before.has(id))
              assert.equal(r.pid, before.get(id)!.pid, `replica ${id} was restarted by kill ${kills}`);
          assert.ok(
            [...after.values()].every((r) => r.restarts === 0),
            JSON.stringify([...after.values()]),
          );
        }
      }
      // The load stops before the controller does: stopping Slipway on purpose drains the data plane too.
      report = await load.stop();
    } finally {
      await load.stop();
      await stop(c);
    }
    assert.ok(report);
    assert.ok(report.requests > 1000, `only ${report.requests} requests`);
    assert.equal(report.failed, 0, JSON.stringify(report));
    assert.ok(kills >= 10, `${kills} kills`);
    // Each release ended as an uninterrupted one does: succeeded, with an intact log.
    const store = new SqliteStore(join(dir, 'state', 'state.db'));
    try {
      for (const id of ids) {
        assert.equal((await store.release(id))?.status, 'succeeded', id);
        assert.equal(await store.verifyChain(id), undefined, `the hash chain of ${id}`);
      }
      const [desired] = await store.desiredState();
      assert.equal(desired?.groups.stable?.version, `v${ids.length + 1}`);
      assert.deepEqual(desired?.weights, { stable: 100 });
    } finally {
      await store.close();
    }
  });
});
