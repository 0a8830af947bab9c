/**
 * An experiment step with two candidates (examples/argo-parity/experiment.yaml), on real processes under
 * load: each variant runs as a group of its own with its share of traffic, is judged on its own requests
 * against stable, and is removed when the step ends — the release goes on when both pass, and is rolled back
 * (variants gone, stable untouched) when one fails.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import { eventually } from '../local/local-harness.js';
import { parityReleaseUnderLoad } from './engine-harness.js';

const SPEC = readFileSync('examples/argo-parity/experiment.yaml', 'utf8')
  .replace('for: 20s', 'for: 6s')
  .replace('    provider: builtin\n', '    provider: builtin\n    interval: 250ms\n    minSample: 30\n')
  .replace(
    '      gracePeriod: 2s\n',
    '      gracePeriod: 2s\n      versions:\n        bad: { env: { DEMO_ERROR_RATE: "0.3" } }\n',
  );

const ref = { service: 'rollouts-demo', cluster: 'local-1' };

async function releaseUnderLoad(orange: string) {
  const h = await parityReleaseUnderLoad(SPEC.replace('version: orange', `version: ${orange}`), 'green', 150);
  const { controller: c, target, id, load } = h;
  await eventually(
    async () => ((await target.observe(ref)).weights['experiment-orange'] ?? 0) > 0,
    60_000,
    'the experiment step',
  );
  const during = await target.observe(ref);
  const view = await c.wait(id);
  await load.stop();
  const events = await h.runtime.store.events(id);
  return Object.assign(h, { view, during, events });
}

/** Each variant analysis's verdict and the canary requests it counted, by group. */
function verdicts(
  events: { type: string; payload: Record<string, unknown> }[],
  plan: { id: string; kind: string; group?: string }[],
) {
  const out: Record<string, { verdict: string; requests: number }> = {};
  for (const e of events) {
    if (e.type !== EventType.stepCompleted && e.type !== EventType.gateFailed) continue;
    const step = plan.find((s) => s.id === e.payload['step']);
    const evidence = e.payload['evidence'] as Record<string, unknown> | undefined;
    if (step?.kind === 'analysis' && step.group && evidence)
      out[step.group] = {
        verdict: String(evidence['verdict']),
        requests: Number(evidence['canaryRequests']),
      };
  }
  return out;
}

describe('an experiment step with two candidates', { timeout: 240_000 }, () => {
  it('runs each as its own group with its share, judges each on its own requests, removes both, goes on', async () => {
    await using h = await releaseUnderLoad('orange');
    assert.equal(h.view.state.status, 'succeeded', h.view.state.failure?.reason);
    assert.deepEqual(h.during.weights, {
      stable: 55,
      canary: 25,
      'experiment-canary': 10,
      'experiment-orange': 10,
    });
    const groups = Object.fromEntries(h.during.groups.map((g) => [g.group, g.versions]));
    assert.deepEqual(groups['experiment-canary'], ['green']);
    assert.deepEqual(groups['experiment-orange'], ['orange']);
    const judged = verdicts(h.events, h.view.plan.steps as never);
    assert.equal(judged['experiment-canary']?.verdict, 'pass');
    assert.equal(judged['experiment-orange']?.verdict, 'pass');
    // The canary variant's requests are its own group's, not the canary's (same version, 25 % of traffic).
    const own = h.target.metrics.find('rollouts-demo', 'green', 'experiment-canary')!;
    assert.ok(
      judged['experiment-canary']!.requests > 0 && judged['experiment-canary']!.requests <= own.requests,
    );
    const after = await h.target.observe(ref);
    for (const g of ['experiment-canary', 'experiment-orange'])
      assert.equal(after.groups.find((x) => x.group === g)?.desired ?? 0, 0, `${g} removed`);
    assert.deepEqual(after.weights, { stable: 100 });
    assert.deepEqual(after.groups.find((g) => g.group === 'stable')?.versions, ['green']);
  });

  it('a failing candidate fails the release: rolled back, both variants gone, stable still blue', async () => {
    await using h = await releaseUnderLoad('bad');
    assert.equal(h.view.state.status, 'rolled-back');
    const judged = verdicts(h.events, h.view.plan.steps as never);
    assert.equal(judged['experiment-orange']?.verdict, 'fail', JSON.stringify(judged));
    const after = await h.target.observe(ref);
    for (const g of ['experiment-canary', 'experiment-orange', 'canary'])
      assert.equal(after.groups.find((x) => x.group === g)?.desired ?? 0, 0, `${g} removed`);
    assert.deepEqual(after.groups.find((g) => g.group === 'stable')?.versions, ['blue']);
    assert.equal(after.weights.stable, 100);
  });
});
