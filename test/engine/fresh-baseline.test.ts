/**
 * A fresh baseline (`release.baseline: fresh`, Kayenta's and Argo's baseline-vs-canary), on real processes
 * under load: a group at stable's version starts with the canary, as large and with as much traffic, the
 * analysis judges the canary against that group's own requests (not stable's), and it is gone after the
 * promotion — or after the rollback of a bad canary.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import { eventually } from '../local/local-harness.js';
import { parityReleaseUnderLoad } from './engine-harness.js';

const SPEC = readFileSync('examples/argo-parity/baseline-vs-canary.yaml', 'utf8')
  .replace('{ analysis: versus-baseline, for: 20s }', '{ analysis: versus-baseline, for: 6s }')
  .replace('    minSample: 50\n', '    minSample: 50\n    interval: 250ms\n')
  .replace('sequential: { errorRatio: 2 }', 'sequential: { errorRatio: 2, minIncrease: 5% }');

const ref = { service: 'rollouts-demo', cluster: 'local-1' };

async function releaseUnderLoad(version: string) {
  const h = await parityReleaseUnderLoad(SPEC, version, 80);
  const { controller: c, target, id, load } = h;
  // While the analysis runs: the baseline group runs blue, as large as the canary.
  await eventually(
    async () => (await c.get(id)).state.current?.includes('analysis') === true,
    60_000,
    'the analysis step',
  );
  const during = (await target.observe(ref)).groups;
  const view = await c.wait(id);
  await load.stop();
  const events = await h.runtime.store.events(id);
  return Object.assign(h, { view, during, events });
}

/** The sequential judge's counts in the analysis step's evidence. */
function sequentialCounts(events: { type: string; payload: Record<string, unknown> }[]) {
  const analysed = events.find(
    (e) =>
      (e.type === EventType.stepCompleted || e.type === EventType.gateFailed) &&
      String(e.payload['step']).includes('analysis'),
  );
  const judgements = ((analysed?.payload['evidence'] as Record<string, unknown> | undefined)?.[
    'judgements'
  ] ?? []) as Record<string, unknown>[];
  const sequential = judgements.find((j) => 'baselineRequests' in j);
  assert.ok(sequential, `the analysis judged with the sequential test: ${JSON.stringify(analysed?.payload)}`);
  return { baseline: Number(sequential['baselineRequests']), canary: Number(sequential['canaryRequests']) };
}

describe('a fresh baseline beside the canary', { timeout: 240_000 }, () => {
  it('runs with the canary, is what the analysis compares with, and is removed before the promotion', async () => {
    await using h = await releaseUnderLoad('green');
    assert.equal(h.view.state.status, 'succeeded', h.view.state.failure?.reason);
    const canary = h.during.find((g) => g.group === 'canary');
    const baseline = h.during.find((g) => g.group === 'baseline');
    assert.deepEqual(baseline?.versions, ['blue']);
    assert.equal(baseline?.desired, canary?.desired);
    // The baseline's requests are the fresh group's: counted apart from stable's, which had more traffic.
    const counts = sequentialCounts(h.events);
    const fresh = h.target.metrics.find('rollouts-demo', 'blue', 'baseline');
    assert.ok(fresh && fresh.requests > 0, 'the fresh baseline served requests');
    assert.ok(counts.baseline > 0 && counts.baseline <= fresh.requests, JSON.stringify(counts));
    // As much traffic as the canary (stable, with 40 % to their 30 %, would have had a third more).
    const ratio = counts.baseline / counts.canary;
    assert.ok(ratio > 0.85 && ratio < 1.15, JSON.stringify(counts));
    const after = (await h.target.observe(ref)).groups;
    assert.equal(after.find((g) => g.group === 'baseline')?.desired, 0);
    assert.deepEqual(after.find((g) => g.group === 'stable')?.versions, ['green']);
    assert.equal((await h.target.observe(ref)).weights.baseline ?? 0, 0);
  });

  it('a bad canary is failed against the fresh baseline and rolled back; the baseline goes too', async () => {
    await using h = await releaseUnderLoad('bad');
    assert.equal(h.view.state.status, 'rolled-back');
    const counts = sequentialCounts(h.events);
    assert.ok(counts.baseline > 0, JSON.stringify(counts));
    const after = (await h.target.observe(ref)).groups;
    assert.equal(after.find((g) => g.group === 'baseline')?.desired ?? 0, 0);
    assert.deepEqual(after.find((g) => g.group === 'stable')?.versions, ['blue']);
  });
});
