/**
 * SIGKILL the controller (`slipway serve`) at ≥ 50 points spread over every step type of a canary release,
 * restart it each time, and compare the end state with an uninterrupted run: same outcome, same desired
 * state, every step completed exactly once, no notification sent twice, an intact hash chain.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import type { SerializedRelease } from '../../src/server/views.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { DesiredState } from '../../src/store/store.js';
import { sleep } from '../local/local-harness.js';
import { callController, type Controller, startController, stop } from './controller-harness.js';
import { startReceiver } from './notify-receiver.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: killtest }
environments:
  staging:
    clusters: { stg: { local: {} } }
  production:
    approval: { required: true }
    clusters:
      east: { local: {} }
      west: { local: {} }
    waves: [[east], [west]]
    bake: 1s
services:
  web:
    image: registry.example.com/web
    local: { command: node examples/demo/service.js, gracePeriod: 2s }
    port: 8080
    replicas: 2
    health: { readiness: { path: /health/ready, period: 200ms } }
    release:
      strategy: canary
      steps: [{ weight: 50 }, { analysis: quick, for: 1s }, { pause: 1s }, { check: smoke }]
analysis:
  quick: { provider: builtin, interval: 250ms, minSample: 0, errorRate: { max: 1% }, decision: fixed-window }
checks:
  smoke: { http: { path: /health, expect: 200 } }
notify:
  webhooks: [{ name: receiver, urlEnv: KILL_HOOK }]
`;

const call = callController;

const TERMINAL = new Set(['succeeded', 'rolled-back', 'failed']);

/** Waits until the release ends or the controller dies, approving whenever it waits for approval. */
async function drive(c: Controller, id: string | undefined): Promise<'died' | string> {
  let dead = false;
  void c.exited.then(() => (dead = true));
  for (;;) {
    if (dead) return 'died';
    const releaseId = id ?? (await call<{ id: string }[]>(c, 'GET', '/v1/releases'))?.[0]?.id;
    const r = releaseId ? await call<SerializedRelease>(c, 'GET', `/v1/releases/${releaseId}`) : undefined;
    if (r && TERMINAL.has(r.status)) return r.status;
    if (r?.status === 'waiting-approval')
      await call(c, 'POST', `/v1/releases/${r.id}/approve`, { actor: 'tester' });
    await sleep(100);
  }
}

async function releaseAndDrive(c: Controller, version: string): Promise<string> {
  const created = await call<SerializedRelease>(c, 'POST', '/v1/releases', {
    request: { changes: [{ service: 'web', version }] },
    actor: 't',
  });
  return drive(c, created?.id);
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-kill-'));
  writeFileSync(join(dir, 'slipway.yaml'), SPEC);
  return dir;
}

const failpoints = (dir: string) =>
  existsSync(join(dir, 'failpoints.log'))
    ? readFileSync(join(dir, 'failpoints.log'), 'utf8').trim().split('\n')
    : [];

async function endState(dir: string, id: string) {
  const store = new SqliteStore(join(dir, 'state', 'state.db'));
  try {
    const events = await store.events(id);
    const release = await store.release(id);
    const desired: DesiredState[] = await store.desiredState();
    return { events, release, desired, brokenAt: await store.verifyChain(id) };
  } finally {
    await store.close();
  }
}

describe('crash and resume', { timeout: 900_000 }, () => {
  it('SIGKILL at ≥ 50 points of a canary release ends as an uninterrupted run does', async () => {
    const receiver = await startReceiver('ok');
    const env = { KILL_HOOK: `${receiver.url}/hook` };
    try {
      // 1. The uninterrupted run: which failpoints a v2 release passes, and how it ends.
      const base = setup();
      let c = await startController(base, env);
      assert.equal(await releaseAndDrive(c, 'v1'), 'succeeded');
      const before = failpoints(base).length;
      const baseRelease = (await call<SerializedRelease>(c, 'POST', '/v1/releases', {
        request: { changes: [{ service: 'web', version: 'v2' }] },
        actor: 't',
      }))!;
      assert.equal(await drive(c, baseRelease.id), 'succeeded');
      await stop(c);
      const sequence = failpoints(base).slice(before);
      const unique = [...new Set(sequence)];
      const baseline = await endState(base, baseRelease.id);

      // 2. Crash points: two of every three, spread over every step of the plan.
      const chosen = unique.filter((_, i) => i % 3 !== 2);
      assert.ok(chosen.length >= 50, `only ${chosen.length} crash points`);
      const kinds = new Map(
        baseline.events
          .filter((e) => e.type === EventType.stepStarted)
          .map((e) => [String(e.payload['step']), String(e.payload['kind'])]),
      );
      const covered = new Set(chosen.map((p) => kinds.get(p.split('#')[0]!)).filter(Boolean));
      assert.deepEqual(
        [...covered].sort(),
        [...new Set(kinds.values())].sort(),
        'every step type has a crash point',
      );

      // 3. The same release, killed at each chosen point in turn.
      receiver.received.length = 0;
      const run = setup();
      c = await startController(run, env);
      assert.equal(await releaseAndDrive(c, 'v1'), 'succeeded');
      await stop(c);
      let id: string | undefined;
      let kills = 0;
      for (const [i, point] of [...chosen, undefined].entries()) {
        c = await startController(run, { ...env, ...(point ? { SLIPWAY_CRASH_AT: point } : {}) });
        if (i === 0)
          id = (
            await call<SerializedRelease>(c, 'POST', '/v1/releases', {
              request: { changes: [{ service: 'web', version: 'v2' }] },
              actor: 't',
            })
          )?.id;
        const outcome = await drive(c, id);
        id ??= undefined;
        if (point) {
          assert.equal(outcome, 'died', `the release ended before reaching ${point}`);
          assert.equal(await c.exited, 'SIGKILL');
          assert.equal(failpoints(run).at(-1), point, 'killed exactly at the chosen point');
          kills++;
        } else {
          assert.equal(outcome, 'succeeded');
          await stop(c);
        }
      }
      assert.ok(kills >= 50);
      const releases = await new SqliteStore(join(run, 'state', 'state.db')).releases();
      const resumed = await endState(run, releases[0]!.id);

      // 4. Same end state as the uninterrupted run.
      assert.equal(resumed.release?.status, 'succeeded');
      const strip = (d: DesiredState[]) =>
        d.map((x) => ({ cluster: x.cluster, groups: x.groups, weights: x.weights }));
      assert.deepEqual(strip(resumed.desired), strip(baseline.desired));
      const completed = (events: typeof resumed.events) =>
        events.filter((e) => e.type === EventType.stepCompleted).map((e) => String(e.payload['step']));
      assert.deepEqual(
        completed(resumed.events),
        completed(baseline.events),
        'each step completed once, in the same order',
      );
      const sent = resumed.events
        .filter((e) => e.type === EventType.notificationSent)
        .map((e) => String(e.payload['key']));
      assert.equal(new Set(sent).size, sent.length, 'a notification was recorded twice');
      const delivered = receiver.received.map((r) => r.key).filter((k) => k?.startsWith(releases[0]!.id));
      assert.equal(new Set(delivered).size, delivered.length, 'a notification was delivered twice');
      assert.equal(resumed.brokenAt, undefined, 'the hash chain is intact');
      assert.equal(baseline.brokenAt, undefined);
    } finally {
      receiver.close();
    }
  });
});
