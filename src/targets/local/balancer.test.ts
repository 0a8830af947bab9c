import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Balancer, type Upstream } from './balancer.js';

const up = (id: string, group: Upstream['group'], version: string): Upstream => ({
  id,
  group,
  version,
  port: 1,
  inFlight: 0,
});

describe('Balancer', () => {
  it('splits by weight exactly over a cycle', () => {
    const b = new Balancer();
    b.add(up('s1', 'stable', 'v1'));
    b.add(up('c1', 'canary', 'v2'));
    b.setWeights({ stable: 90, canary: 10 });
    const counts = { stable: 0, canary: 0 };
    for (let i = 0; i < 1000; i++) counts[b.pick({})!.group as 'stable' | 'canary']++;
    assert.deepEqual(counts, { stable: 900, canary: 100 });
  });

  it('sends weight of a group with no ready replica nowhere else but the other weighted groups', () => {
    const b = new Balancer();
    b.add(up('s1', 'stable', 'v1'));
    b.add(up('p1', 'preview', 'v2'));
    b.setWeights({ stable: 50, canary: 50 });
    for (let i = 0; i < 10; i++) assert.equal(b.pick({})!.group, 'stable');
  });

  it('honours a pinned version and a header match', () => {
    const b = new Balancer();
    b.add(up('s1', 'stable', 'v1'));
    b.add(up('c1', 'canary', 'v2'));
    b.setWeights({ stable: 100 }, [{ headers: { 'X-Beta': 'yes' }, group: 'canary' }]);
    assert.equal(b.pick({ 'x-slipway-version': 'v2' })!.id, 'c1');
    assert.equal(b.pick({ 'x-beta': 'yes' })!.id, 'c1');
    assert.equal(b.pick({})!.id, 's1');
    assert.equal(b.pick({ 'x-slipway-version': 'v9' }), undefined);
  });

  it('prefers the replica with the fewest requests in flight and skips excluded ones', () => {
    const b = new Balancer();
    const a = up('a', 'stable', 'v1');
    const c = up('c', 'stable', 'v1');
    b.add(a);
    b.add(c);
    a.inFlight = 5;
    for (let i = 0; i < 5; i++) assert.equal(b.pick({})!.id, 'c');
    assert.equal(b.pick({}, new Set(['c']))!.id, 'a');
    b.remove('a');
    assert.equal(b.pick({}, new Set(['c'])), undefined);
  });
});
