/** The local target with real processes and real HTTP traffic. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { SlipwayError } from '../../src/errors/index.js';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import type { RolloutBounds } from '../../src/targets/target.js';
import { demoService, eventually, sleep, startTarget } from './local-harness.js';

describe('local target', { timeout: 180_000 }, () => {
  it('honours weights within tolerance over 10 000 requests', async () => {
    await using h = await startTarget();
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 2 });
    await h.target.ensureReplicas(h.ref, { group: 'canary', version: 'v2', replicas: 1 });
    await h.target.ensureWeights(h.ref, { stable: 70, canary: 30 });
    const report = await new LoadGenerator({
      url: `${h.target.endpoint('web')}/`,
      concurrency: 16,
      durationMs: 120_000,
      maxRequests: 10_000,
    }).run();
    assert.equal(report.requests, 10_000);
    assert.equal(report.failed, 0);
    const share = (report.byVersion['v2'] ?? 0) / report.requests;
    // Smooth weighted round-robin is exact per cycle; allow 1 point for requests in flight at the end.
    assert.ok(Math.abs(share - 0.3) < 0.01, `canary share ${share}`);
    const v2 = h.target.metrics.find('web', 'v2');
    assert.equal(v2?.requests, report.byVersion['v2']);
  });

  it('restarts a replica killed with SIGKILL and counts its lost requests as errors', async () => {
    await using h = await startTarget([
      demoService({ env: { DEMO_LATENCY_MS: '150', DEMO_LATENCY_SIGMA: '0' } }),
    ]);
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 3 });
    const load = new LoadGenerator({
      url: `${h.target.endpoint('web')}/`,
      rps: 150,
      durationMs: 60_000,
    }).start();
    await sleep(1000);
    const victim = h.target.group('web', 'stable').list()[0]!;
    const oldPid = victim.pid;
    victim.kill('SIGKILL');
    await eventually(() => h.target.restarts('web') >= 1, 30_000, 'a restart');
    await eventually(
      () => {
        const s = h.target.group('web', 'stable').status();
        return s.ready === 3 && s.replicas.every((r) => r.pid !== oldPid);
      },
      30_000,
      'three ready replicas again',
    );
    await sleep(500);
    const report = await load.stop();
    const v1 = h.target.metrics.find('web', 'v1')!;
    assert.ok(report.failed > 0, 'requests in flight on the killed replica must fail');
    // Every failure the clients saw is in the router's error count, attributed to the version.
    assert.equal(v1.errors, report.failed);
    assert.ok(v1.upstreamFailures.reset >= 1);
    const restarted = h.target
      .group('web', 'stable')
      .status()
      .replicas.find((r) => r.id === victim.id);
    assert.equal(restarted?.restarts, 1);
  });

  it('replaces every replica under continuous load without losing a request', async () => {
    await using h = await startTarget([demoService({ env: { DEMO_LATENCY_MS: '20' } })]);
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 4 });
    const load = new LoadGenerator({
      url: `${h.target.endpoint('web')}/`,
      rps: 300,
      durationMs: 120_000,
    }).start();
    await sleep(500);
    const before = h.target
      .group('web', 'stable')
      .status()
      .replicas.map((r) => r.pid);
    const status = await h.target.ensureReplicas(h.ref, {
      group: 'stable',
      version: 'v2',
      replicas: 4,
      maxSurge: 1,
      maxUnavailable: 0,
    });
    await sleep(500);
    const report = await load.stop();
    assert.deepEqual(status.versions, ['v2']);
    assert.equal(status.ready, 4);
    assert.ok(
      status.replicas.every((r) => !before.includes(r.pid)),
      'every replica was replaced',
    );
    assert.ok(report.requests > 300, `only ${report.requests} requests`);
    assert.equal(report.failed, 0, JSON.stringify(report.byStatus));
    assert.ok((report.byVersion['v1'] ?? 0) > 0 && (report.byVersion['v2'] ?? 0) > 0);
  });

  it('sends a pinned version and a header match to that version only', async () => {
    await using h = await startTarget();
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 2 });
    await h.target.ensureReplicas(h.ref, { group: 'canary', version: 'v2', replicas: 1 });
    await h.target.ensureWeights(h.ref, { stable: 100, canary: 0 }, [
      { headers: { 'x-beta': 'on' }, group: 'canary' },
    ]);
    const url = `${h.target.endpoint('web')}/`;
    const served = async (headers: Record<string, string>) =>
      (await fetch(url, { headers })).headers.get('x-served-by')?.split('@')[1]?.split('/')[0];
    for (let i = 0; i < 20; i++) {
      assert.equal(await served({ 'x-slipway-version': 'v2' }), 'v2');
      assert.equal(await served({ 'x-beta': 'on' }), 'v2');
      assert.equal(await served({}), 'v1');
    }
    const missing = await fetch(url, { headers: { 'x-slipway-version': 'v9' } });
    assert.equal(missing.status, 503);
  });

  it('carries WebSockets to the replicas; a replaced replica says going away and a new socket reaches the new version', async () => {
    await using h = await startTarget();
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 2 });
    const url = `${h.target.endpoint('web').replace('http', 'ws')}/echo`;
    const say = (ws: WebSocket, text: string) =>
      new Promise<string>((resolve) => {
        ws.once('message', (data) => resolve(String(data)));
        ws.send(text);
      });
    const connected = (ws: WebSocket) =>
      new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const old = new WebSocket(url);
    await connected(old);
    assert.equal(await say(old, 'hi'), 'web@v1: hi');
    const closed = new Promise<number>((resolve) => old.once('close', (code) => resolve(code)));
    await h.target.ensureReplicas(h.ref, {
      group: 'stable',
      version: 'v2',
      replicas: 2,
      maxSurge: 1,
      maxUnavailable: 0,
    });
    assert.equal(await closed, 1001, 'the old replica closed its socket as going away');
    const fresh = new WebSocket(url);
    await connected(fresh);
    assert.equal(await say(fresh, 'again'), 'web@v2: again');
    fresh.close();
  });

  it("promotes a canary onto stable within the release's bounds: maxSurge 0 never runs more than asked", async () => {
    /** The most stable replicas seen at once while the canary at `version` is promoted with these bounds. */
    const peakDuringPromotion = async (version: string, bounds: RolloutBounds) => {
      await using h = await startTarget();
      await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 4 });
      await h.target.ensureReplicas(h.ref, { group: 'canary', version, replicas: 1 });
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, h.target.group('web', 'stable').status().replicas.length);
      }, 5);
      await h.target.promote(h.ref, 'canary', version, bounds);
      clearInterval(sampler);
      assert.deepEqual(h.target.group('web', 'stable').status().versions, [version]);
      return peak;
    };
    assert.equal(await peakDuringPromotion('v2', { maxSurge: 0, maxUnavailable: 1 }), 4);
    // Without bounds the default surge (25 %: one of four) starts a fifth before an old one stops.
    assert.equal(await peakDuringPromotion('v3', {}), 5);
  });

  it('answers 503 with a reason when no replica is ready', async () => {
    await using h = await startTarget();
    const res = await fetch(`${h.target.endpoint('web')}/`);
    assert.equal(res.status, 503);
    assert.match(res.headers.get('x-slipway-error') ?? '', /no ready replica/);
    const body = (await res.json()) as { service: string };
    assert.equal(body.service, 'web');
  });

  it('fails clearly, without hanging, when the command does not exist', async () => {
    await using h = await startTarget([demoService({ command: 'slipway-no-such-command --serve' })]);
    const started = Date.now();
    await assert.rejects(
      h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 2, deadlineMs: 60_000 }),
      (error: unknown) => {
        assert.ok(error instanceof SlipwayError);
        assert.equal(error.code, 'LOCAL_REPLICA_FAILED');
        assert.match(error.message, /exit code 127/);
        assert.match(error.message, /not found/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 55_000, 'it must fail before the deadline, from the crash loop');
  });

  it('fails clearly when the command exits at once', async () => {
    await using h = await startTarget([
      demoService({ command: 'node -e "console.error(\'config missing\'); process.exit(3)"' }),
    ]);
    await assert.rejects(
      h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 1, deadlineMs: 60_000 }),
      (error: unknown) => {
        assert.ok(error instanceof SlipwayError);
        assert.equal(error.code, 'LOCAL_REPLICA_FAILED');
        assert.match(error.message, /exit code 3: config missing/);
        return true;
      },
    );
  });

  it('reports a rollout that never becomes ready by its deadline', async () => {
    await using h = await startTarget([demoService({ env: { DEMO_SLOW_START_MS: '600000' } })]);
    await assert.rejects(
      h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 1, deadlineMs: 1500 }),
      /LOCAL_ROLLOUT_TIMEOUT|ready before the deadline/,
    );
  });

  it('promotes the canary to stable and scales groups to zero', async () => {
    await using h = await startTarget();
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 2 });
    await h.target.ensureReplicas(h.ref, { group: 'canary', version: 'v2', replicas: 1 });
    await h.target.ensureWeights(h.ref, { stable: 50, canary: 50 });
    await h.target.promote(h.ref, 'canary', 'v2');
    const after = await h.target.observe(h.ref);
    const stable = after.groups.find((g) => g.group === 'stable')!;
    assert.deepEqual(stable.versions, ['v2']);
    assert.equal(stable.ready, 2);
    assert.equal(after.groups.find((g) => g.group === 'canary')!.replicas.length, 0);
    assert.deepEqual(after.weights, { stable: 100 });
    // Idempotent: promoting again changes nothing.
    await h.target.promote(h.ref, 'canary', 'v2');
    await h.target.scaleToZero(h.ref, 'stable');
    assert.equal(
      (await h.target.observe(h.ref)).groups.find((g) => g.group === 'stable')!.replicas.length,
      0,
    );
  });

  it('exposes per-version metrics in Prometheus text format', async () => {
    await using h = await startTarget();
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 1 });
    for (let i = 0; i < 5; i++) await (await fetch(`${h.target.endpoint('web')}/`)).text();
    const text = await (await fetch(`${h.target.adminUrl}/metrics`)).text();
    assert.match(text, /^http_requests_total\{cluster="test",service="web",version="v1",status="200"\} 5$/m);
    assert.match(
      text,
      /^http_request_duration_seconds_count\{cluster="test",service="web",version="v1"\} 5$/m,
    );
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
  });
});
