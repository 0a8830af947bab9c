/**
 * Two controllers, one PostgreSQL (a real one, created by the test), one simulated Kubernetes cluster. A
 * survivor stands by while, twenty times over, a second controller starts a canary release and is killed with
 * SIGKILL at a different point of it (spread over every step kind, from the failpoints an uninterrupted run
 * passed). Each time the survivor takes the release over once the dead one's lease lapses, and it ends as an
 * uninterrupted run does: succeeded, the cluster and the desired state at the new version, every step
 * completed once, no notification twice, an intact hash chain. A controller cut off from the database stops
 * acting before its lease can lapse, and its writes stay out once another controller holds the release.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import type { SerializedRelease } from '../../src/server/views.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { startClusters } from '../kube/kube-harness.js';
import { sleep } from '../local/local-harness.js';
import { type RunningPostgres, startPostgres } from '../store/postgres-harness.js';
import { type Controller, startController, stop } from './controller-harness.js';

const TTL_MS = 3000;
const KILLS = 20;

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: failover }
environments:
  production:
    namespace: shop
    clusters: { east: { kubernetes: { context: sim-east } } }
services:
  web:
    image: registry.example.com/shop/web
    version: v0
    port: 8080
    replicas: 2
    health: { readiness: { path: /health } }
    release:
      strategy: canary
      steps: [{ weight: 25 }, { pause: 1s }, { weight: 50 }, { check: smoke }]
checks:
  smoke: { http: { path: /health, expect: 200 } }
`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api<T>(c: Controller, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as T;
}

async function untilDone(c: Controller, id: string, timeoutMs = 90_000): Promise<SerializedRelease> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api<SerializedRelease>(c, 'GET', `/v1/releases/${id}`);
    if (['succeeded', 'rolled-back', 'failed'].includes(r.status)) return r;
    if (Date.now() > deadline)
      throw new Error(`release ${id} still ${r.status}:\n${c.output().slice(-3000)}`);
    await sleep(100);
  }
}

/** A TCP proxy to PostgreSQL that the test can cut (every connection dropped, new ones refused) and heal. */
async function partitionableProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const u = new URL(target);
  u.port = String((server.address() as { port: number }).port);
  return {
    url: u.toString(),
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    heal() {
      cut = false;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('two controllers on one PostgreSQL', { timeout: 600_000 }, () => {
  let postgres: RunningPostgres;
  let clusters: Awaited<ReturnType<typeof startClusters>>;
  let url: string;
  let store: PostgresStore;
  before(async () => {
    postgres = await startPostgres();
    url = await postgres.freshDatabase();
    store = new PostgresStore(url);
    clusters = await startClusters(['sim-east']);
  });
  after(async () => {
    await store?.close();
    await clusters?.[Symbol.asyncDispose]();
    await postgres?.stop();
  });

  const controllerDir = (name: string) => {
    const dir = join(clusters.dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'slipway.yaml'), SPEC);
    return dir;
  };
  const start = (name: string, env: Record<string, string> = {}) =>
    startController(controllerDir(name), { SLIPWAY_DATABASE_URL: url, ...env }, [
      '--kubeconfig',
      clusters.kubeconfig,
      '--lease-ttl',
      `${TTL_MS / 1000}s`,
    ]);
  const image = () =>
    (
      clusters.sim('sim-east').store.get(
        clusters
          .sim('sim-east')
          .served()
          .find((r) => r.kind === 'Deployment')!,
        'shop',
        'web',
      )?.object as Json | undefined
    )?.['spec']['template']['spec']['containers'][0]['image'];

  /** The end state of an uninterrupted run, checked from the log, the cluster and the desired state. */
  async function assertLikeUninterrupted(id: string, version: string, context: string) {
    const events = await store.events(id);
    assert.equal(await store.verifyChain(id), undefined, `${context}: chain`);
    const completed = events
      .filter((e) => e.type === EventType.stepCompleted)
      .map((e) => String(e.payload['step']));
    assert.equal(
      new Set(completed).size,
      completed.length,
      `${context}: a step completed twice: ${completed}`,
    );
    const plan = (await store.release(id))!.plan as { steps: { id: string }[] };
    assert.deepEqual(new Set(completed), new Set(plan.steps.map((s) => s.id)), `${context}: every step`);
    const notified = events.filter((e) => e.type === EventType.notificationSent).map((e) => e.payload['key']);
    assert.equal(new Set(notified).size, notified.length, `${context}: a notification twice`);
    assert.equal(image(), `registry.example.com/shop/web:${version}`, `${context}: cluster`);
    const desired = await store.desiredState('east');
    assert.deepEqual(desired[0]?.groups, { stable: { version, replicas: 2 } }, `${context}: desired state`);
    assert.deepEqual(desired[0]?.weights, { stable: 100 }, `${context}: weights`);
  }

  it('takes over a release from a controller killed at any of 20 points, within the lease time', async () => {
    const survivor = await start('survivor');
    try {
      // Uninterrupted: the first deployment, then a canary whose failpoints are the kill points.
      await untilDone(
        survivor,
        (
          await api<Json>(survivor, 'POST', '/v1/releases', {
            request: { changes: [{ service: 'web', version: 'v1' }] },
          })
        )['id'],
      );
      const log = join(clusters.dir, 'survivor', 'failpoints.log');
      writeFileSync(log, '');
      const reference = await untilDone(
        survivor,
        (
          await api<Json>(survivor, 'POST', '/v1/releases', {
            request: { changes: [{ service: 'web', version: 'v2' }] },
          })
        )['id'],
      );
      assert.equal(reference.status, 'succeeded');
      await assertLikeUninterrupted(reference.id, 'v2', 'uninterrupted');
      const points = [...new Set(readFileSync(log, 'utf8').trim().split('\n'))].filter(
        (p) => !p.startsWith('notify/'),
      );
      const kinds = new Set(points.map((p) => p.replace(/^.*\/\d+-([a-z-]+)#.*$/, '$1')));
      assert.ok(points.length >= KILLS, `${points.length} failpoints`);
      assert.ok(
        ['ensure', 'weights', 'pause', 'check', 'promote', 'record'].every((k) => kinds.has(k)),
        [...kinds].join(),
      );
      const chosen = Array.from(
        { length: KILLS },
        (_, i) => points[Math.floor((i * points.length) / KILLS)]!,
      );

      const takeovers: number[] = [];
      for (const [i, point] of chosen.entries()) {
        const version = `v${i + 3}`;
        const doomed = await start('doomed', { SLIPWAY_CRASH_AT: point });
        // A point early in the release can kill the controller before it answers: the log says what it made.
        await api<Json>(doomed, 'POST', '/v1/releases', {
          request: { changes: [{ service: 'web', version }] },
        }).catch(() => undefined);
        assert.equal(await doomed.exited, 'SIGKILL', `killed at ${point}`);
        const [latest] = await store.releases(1);
        const created = { id: latest!.id };
        assert.deepEqual(
          (latest!.request as { changes: unknown[] }).changes,
          [{ service: 'web', version }],
          `the release of ${version} exists`,
        );
        const diedAt = Date.now();
        const before = (await store.events(created['id'])).length;
        const done = await untilDone(survivor, created['id']);
        const resumed = (await store.events(created['id']))[before];
        if (resumed) takeovers.push(Date.parse(resumed.time) - diedAt);
        assert.equal(done.status, 'succeeded', `killed at ${point}: ${done.failure?.reason}`);
        await assertLikeUninterrupted(created['id'], version, `killed at ${point}`);
      }
      // Taken over once the lease lapsed: not before (the dead one held it), and not long after.
      assert.ok(Math.max(...takeovers) < TTL_MS + 4000, `takeovers after ${takeovers.join(', ')} ms`);
    } finally {
      await stop(survivor);
    }
  });

  it('a controller cut off from the database stops acting before its lease lapses, and stays out after', async () => {
    const survivor = await start('survivor');
    const proxy = await partitionableProxy(url);
    const cutOff = await startController(controllerDir('cut-off'), { SLIPWAY_DATABASE_URL: proxy.url }, [
      '--kubeconfig',
      clusters.kubeconfig,
      '--lease-ttl',
      `${TTL_MS / 1000}s`,
    ]);
    try {
      const version = 'v99';
      const { id } = await api<{ id: string }>(cutOff, 'POST', '/v1/releases', {
        request: { changes: [{ service: 'web', version }] },
      });
      assert.ok(id, 'the release was made');
      for (const deadline = Date.now() + 60_000; ;) {
        const events = await store.events(id);
        if (
          events.some(
            (e) => e.type === EventType.stepCompleted && /01-ensure/.test(String(e.payload['step'])),
          )
        )
          break;
        assert.ok(Date.now() < deadline, `release ${id} never rolled out:\n${cutOff.output().slice(-2000)}`);
        await sleep(20);
      }
      const cutAt = Date.now();
      proxy.cut();
      const done = await untilDone(survivor, id);
      assert.equal(done.status, 'succeeded', done.failure?.reason);
      await assertLikeUninterrupted(id, version, 'after a partition');
      // Whichever comes first: a write that fails, or the lease that cannot be renewed in time.
      const stopped =
        /^(\S+) release \S+(?:: the lease could not be renewed; stopped acting on it| stopped: .*)$/m.exec(
          cutOff.output(),
        );
      assert.ok(stopped, cutOff.output().slice(-2000));
      const takenOver = (await store.events(id)).find((e) => Date.parse(e.time) > cutAt)!;
      assert.ok(
        Date.parse(stopped[1]!) < Date.parse(takenOver.time),
        `stopped ${stopped[1]}, taken over ${takenOver.time}`,
      );
      // Back on the network, it finds the release finished by the other and writes nothing into it.
      const count = (await store.events(id)).length;
      proxy.heal();
      await sleep(TTL_MS);
      assert.equal((await store.events(id)).length, count);
      assert.equal(await store.verifyChain(id), undefined);
    } finally {
      cutOff.child.kill('SIGKILL');
      await cutOff.exited;
      await proxy.close();
      await stop(survivor);
    }
  });
});
