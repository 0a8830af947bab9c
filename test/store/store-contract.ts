/**
 * The Store contract: what every database behind the Store port must do, run against each adapter by its
 * own test file (SQLite, PostgreSQL). An adapter gets a fresh, empty store from `open`, and `tamper`
 * rewrites one event's payload behind the store's back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventHash, GENESIS_HASH } from '../../src/store/hash-chain.js';
import type { NewEvent, Store } from '../../src/store/store.js';

/** An event of any shape: the store keeps whatever it is given, byte for byte (the event types are the engine's). */
export const raw = (type: string, payload: Record<string, unknown>, actor: string): NewEvent =>
  ({ type, payload, actor }) as unknown as NewEvent;

export interface ContractAdapter {
  open(): Promise<Store>;
  /** Reopens the same database (a controller restart). */
  reopen(store: Store): Promise<Store>;
  tamper(store: Store, releaseId: string, seq: number, payload: string): Promise<void>;
}

const release = (id: string, createdAt = new Date().toISOString()) => ({
  id,
  platform: 'demo',
  kind: 'release' as const,
  createdAt,
  createdBy: 'test',
  request: { changes: [{ service: 'web', version: 'v2' }] },
  plan: { steps: [] },
  status: 'running',
});

export function storeContract(name: string, adapter: ContractAdapter): void {
  describe(`Store contract: ${name}`, () => {
    it('appends hash-chained events that survive a reopen, and finds a tampered one', async () => {
      let store = await adapter.open();
      await store.createRelease(release('r1'));
      const payloads = [{ i: 0 }, { text: 'ünïcødé ✓', nested: { list: [1, 2.5, null] } }, { z: 1, a: 2 }];
      for (const payload of payloads) await store.append('r1', raw('step', payload, 'engine'));
      store = await adapter.reopen(store);
      const events = await store.events('r1');
      assert.deepEqual(
        events.map((e) => [e.seq, e.payload]),
        payloads.map((p, i) => [i + 1, p]),
      );
      // The chain is the same function of the same bytes on every database.
      let prev = GENESIS_HASH;
      for (const e of events) {
        assert.equal(e.prevHash, prev);
        assert.equal(e.hash, eventHash(prev, e));
        prev = e.hash;
      }
      assert.equal(await store.verifyChain('r1'), undefined);
      assert.deepEqual(
        (await store.events('r1', 2)).map((e) => e.seq),
        [3],
      );
      await adapter.tamper(store, 'r1', 2, '{"text":"forged"}');
      assert.equal(await store.verifyChain('r1'), 2);
      await store.close();
    });

    it('refuses an append that lost a race (expected sequence)', async () => {
      const store = await adapter.open();
      await store.createRelease(release('r1'));
      await store.append('r1', raw('a', {}, 'x'), { expectedSeq: 0 });
      await assert.rejects(
        store.append('r1', raw('b', {}, 'x'), { expectedSeq: 0 }),
        /moved on \(at 1, expected 0\)/,
      );
      await store.close();
    });

    it('refuses an event payload over the limit, and keeps the log as it was', async () => {
      const store = await adapter.open();
      await store.createRelease(release('r1'));
      await store.append('r1', raw('a', { text: 'x'.repeat(1000) }, 'x'));
      await assert.rejects(
        store.append('r1', raw('b', { text: 'x'.repeat(300 * 1024) }, 'x')),
        /STORE_EVENT_TOO_LARGE|over the 262144 an event may hold/,
      );
      assert.equal((await store.events('r1')).length, 1);
      await store.close();
    });

    it('serialises concurrent appends to one release: no gap, no duplicate, an intact chain', async () => {
      const store = await adapter.open();
      await store.createRelease(release('r1'));
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.append('r1', raw('x', { i }, 'a'))));
      const events = await store.events('r1');
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.deepEqual(new Set(events.map((e) => (e.payload as unknown as { i: number }).i)).size, 30);
      assert.equal(await store.verifyChain('r1'), undefined);
      await store.close();
    });

    it('gives the lease to one owner until it expires, also when owners race for it', async () => {
      const store = await adapter.open();
      const first = await store.acquireLease('r1', 'a', 60_000);
      assert.equal(first, 1);
      assert.equal(await store.acquireLease('r1', 'b', 60_000), undefined);
      assert.equal(await store.acquireLease('r1', 'a', 60_000), 1, 'the owner renews: same generation');
      await store.releaseLease('r1', 'b');
      assert.equal(await store.acquireLease('r1', 'b', 60_000), undefined, 'only the owner gives it up');
      await store.releaseLease('r1', 'a');
      assert.equal(await store.acquireLease('r1', 'b', 1), 2, 'a new owner, a new generation');
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(await store.acquireLease('r1', 'a', 60_000), 3, 'an expired lease can be taken');
      const won = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.acquireLease('r2', `c${i}`, 60_000)),
      );
      assert.deepEqual(
        won.filter((g) => g !== undefined),
        [1],
        'exactly one of ten racing owners',
      );
      await store.close();
    });

    it('fences appends: only the lease holder at its generation writes, and not once its lease lapsed', async () => {
      const store = await adapter.open();
      await store.createRelease(release('r1'));
      const g1 = (await store.acquireLease('r1', 'a', 60_000))!;
      await store.append('r1', raw('x', {}, 'a'), { fence: { owner: 'a', generation: g1 } });
      await store.releaseLease('r1', 'a');
      const g2 = (await store.acquireLease('r1', 'b', 60_000))!;
      assert.notEqual(g2, g1);
      // a, paused or cut off while b took over, comes back and tries to go on: refused.
      await assert.rejects(
        store.append('r1', raw('y', {}, 'a'), { fence: { owner: 'a', generation: g1 } }),
        /STORE_FENCED|no longer this controller's/,
      );
      // Even its own lease, lapsed and taken again, is a new generation: the old runner's writes stay out.
      await store.append('r1', raw('z', {}, 'b'), { fence: { owner: 'b', generation: g2 } });
      assert.equal(await store.acquireLease('r1', 'b', 1), g2, 'b renews in time');
      await new Promise((r) => setTimeout(r, 10));
      await assert.rejects(
        store.append('r1', raw('w', {}, 'b'), { fence: { owner: 'b', generation: g2 } }),
        /lapsed/,
      );
      assert.equal(await store.acquireLease('r1', 'b', 60_000), g2 + 1);
      assert.deepEqual(
        (await store.events('r1')).map((e) => e.type),
        ['x', 'z'],
      );
      await store.close();
    });

    it('keeps desired state and status with the event that set them, and lists releases newest first', async () => {
      const store = await adapter.open();
      await store.createRelease(release('r1', '2026-01-01T00:00:00.000Z'));
      await store.createRelease(release('r2', '2026-01-02T00:00:00.000Z'));
      const desired = {
        cluster: 'east',
        service: 'web',
        groups: { stable: { version: 'v2', replicas: 3 } },
        weights: { stable: 100 },
      };
      await store.append('r1', raw('step-completed', {}, 'engine'), {
        desired: [desired],
        status: 'succeeded',
      });
      await store.append('r2', raw('step-completed', {}, 'engine'), {
        desired: [
          { ...desired, cluster: 'west' },
          { ...desired, groups: {} },
        ],
      });
      assert.deepEqual(await store.desiredState('east'), [{ ...desired, groups: {} }]);
      assert.deepEqual(
        (await store.desiredState()).map((d) => d.cluster),
        ['east', 'west'],
      );
      const listed = await store.releases();
      assert.deepEqual(
        listed.map((r) => [r.id, r.status]),
        [
          ['r2', 'running'],
          ['r1', 'succeeded'],
        ],
      );
      assert.deepEqual((await store.release('r1'))?.request, release('r1').request);
      assert.equal(await store.release('nope'), undefined);
      assert.equal((await store.releases(1)).length, 1);
      await store.close();
    });
  });
}
