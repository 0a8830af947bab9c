/**
 * Background analysis (Argo Rollouts' `canary.analysis`): `release.analysis` beside `steps` starts at the first
 * step that sends the canary traffic, judges every later step, fails the release at whichever step it
 * decides, and must have decided before the promotion — on real processes under load.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventType, stepOf } from '../../src/engine/events.js';
import type { Step } from '../../src/plan/types.js';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import { PlatformRuntime } from '../../src/server/platform-runtime.js';
import { loadSpecText } from '../../src/spec/index.js';
import { eventually, ROOT } from '../local/local-harness.js';
import { BASE_SPEC, startRuntime } from './engine-harness.js';

const spec = (steps: string, background = true) =>
  BASE_SPEC({ steps })
    .replace(
      /environments:[\s\S]*?services:/,
      'environments:\n  staging:\n    clusters: { stg: { local: {} } }\nservices:',
    )
    .replace(/(\n {6}steps: .*\n)/, background ? '$1      analysis: [guard]\n' : '$1')
    // Healthy for its first 40 requests, then every request fails: a regression that shows at a later step.
    .replace(
      'versions:\n',
      'versions:\n        degrades: { env: { DEMO_ERROR_RATE: "1", DEMO_ERRORS_AFTER: "40" } }\n',
    )
    .replace(
      'analysis:\n',
      `analysis:
  guard:
    provider: builtin
    interval: 250ms
    minSample: 30
    errorRate: { max: 5% }
    sequential: { minIncrease: 5% }
  ceiling:
    provider: builtin
    interval: 250ms
    minSample: 30
    errorRate: { max: 5% }
    decision: fixed-window
`,
    );

async function released(steps: string, version: string, background = true) {
  const h = await startRuntime(spec(steps, background));
  const first = await h.controller.wait(
    (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'kim')).release.id,
  );
  assert.equal(first.state.status, 'succeeded', first.state.failure?.reason);
  const load = new LoadGenerator({
    url: `${h.runtime.localTargets.get('stg')!.endpoint('web')}/`,
    rps: 60,
    durationMs: 120_000,
  }).start();
  const id = (await h.controller.release({ changes: [{ service: 'web', version }] }, 'kim')).release.id;
  const view = await h.controller.wait(id);
  await load.stop();
  const events = await h.runtime.store.events(id);
  const started = new Set(
    events.filter((e) => e.type === EventType.stepStarted).map((e) => String(e.payload['step'])),
  );
  const completed = new Set(
    events.filter((e) => e.type === EventType.stepCompleted).map((e) => String(e.payload['step'])),
  );
  const kinds = view.plan.steps.filter((s) => s.cluster === 'stg').map((s) => `${s.kind}`);
  return Object.assign(h, { view, started, completed, kinds });
}

describe('background analysis', { timeout: 300_000 }, () => {
  it('fails the release at the third step, interrupting it, and rolls back', async () => {
    await using h = await released(
      '[{ weight: 20 }, { pause: 1s }, { pause: 60s }, { weight: 60 }]',
      'degrades',
    );
    assert.equal(h.view.state.status, 'rolled-back');
    const steps = h.view.plan.steps.filter((s) => s.cluster === 'stg');
    const verdict = steps.find(
      (s): s is Extract<Step, { kind: 'analysis' }> => s.kind === 'analysis' && !!s.endsBackground,
    )!;
    const background = steps.find((s) => s.kind === 'background-analysis')!;
    assert.equal(verdict.endsBackground, background.id);
    // It starts right after the first weight and is closed just before the promotion.
    assert.deepEqual(h.kinds.slice(h.kinds.indexOf('ensure-replicas')), [
      'ensure-replicas',
      'set-weights',
      'background-analysis',
      'pause',
      'pause',
      'ensure-replicas',
      'set-weights',
      'analysis',
      'promote',
      'record-version',
    ]);
    // The failure came while the 60 s pause (the third canary step) ran: it started, never completed,
    // and the weight after it never started.
    const [, second, third, fourth] = steps.filter((s) => s.kind === 'pause' || s.kind === 'set-weights');
    assert.ok(h.completed.has(second!.id));
    assert.ok(h.started.has(third!.id) && !h.completed.has(third!.id), 'the third step was interrupted');
    assert.ok(!h.started.has(fourth!.id));
    assert.equal(h.view.state.failure?.step, verdict.id);
    assert.match(h.view.state.failure?.reason ?? '', /error/);
    assert.equal(h.view.state.failure?.evidence?.verdict, 'fail');
  });

  it('judges a healthy canary through every step and passes it at the promotion, once decided', async () => {
    await using h = await released('[{ weight: 20 }, { pause: 2s }, { weight: 50 }, { pause: 1s }]', 'v2');
    assert.equal(h.view.state.status, 'succeeded', JSON.stringify(h.view.state.failure?.evidence?.['trace']));
    const verdict = h.view.plan.steps.find((s) => s.kind === 'analysis' && s.endsBackground)!;
    const evidence = h.view.state.steps.get(verdict.id)?.evidence;
    assert.equal(evidence?.verdict, 'pass', JSON.stringify(evidence));
    assert.match(evidence?.summary ?? '', /no error regression|accept/i);
    // One window from the first weight to the promotion: it spans both pauses (3 s at least).
    assert.ok(Number(evidence?.['elapsedMs']) >= 3000, String(evidence?.['elapsedMs']));
    assert.ok(Number(evidence?.['canaryRequests']) >= 30);
  });

  it('starts again when the release resumes after a controller restart, and still fails it at the step running then', async () => {
    const text = spec('[{ weight: 20 }, { pause: 60s }, { weight: 60 }]').replace(
      'DEMO_ERRORS_AFTER: "40"',
      'DEMO_ERRORS_AFTER: "60"',
    );
    const first = await startRuntime(text);
    const c = first.controller;
    await c.wait((await c.release({ changes: [{ service: 'web', version: 'v1' }] }, 'kim')).release.id);
    const id = (await c.release({ changes: [{ service: 'web', version: 'degrades' }] }, 'kim')).release.id;
    const plan = (await c.get(id)).plan.steps.filter((s) => s.cluster === 'stg');
    const pause = plan.find((s) => s.kind === 'pause')!;
    const closing = plan.find((s) => s.kind === 'analysis')!;
    await eventually(
      async () => (await first.runtime.store.events(id)).some((e) => stepOf(e) === pause.id),
      60_000,
      'the pause',
    );
    await first[Symbol.asyncDispose](); // the controller stops with the release half way
    const loaded = loadSpecText(text, 'engine-test.yaml');
    assert.ok(loaded.ok);
    const lines: string[] = [];
    const runtime = new PlatformRuntime({
      spec: loaded.spec,
      root: ROOT,
      stateDir: first.stateDir,
      pollMs: 50,
      log: (l) => lines.push(l),
    });
    await runtime.start();
    try {
      const load = new LoadGenerator({
        url: `${runtime.localTargets.get('stg')!.endpoint('web')}/`,
        rps: 60,
        durationMs: 120_000,
      }).start();
      const view = await runtime.controller.wait(id);
      await load.stop();
      assert.ok(
        lines.some((l) => l.includes('runs again in the background')),
        lines.join('\n'),
      );
      assert.equal(view.state.status, 'rolled-back');
      assert.equal(view.state.failure?.step, closing.id);
      const completed = (await runtime.store.events(id)).filter((e) => e.type === EventType.stepCompleted);
      assert.ok(!completed.some((e) => e.payload['step'] === pause.id), 'the 60 s pause was interrupted');
    } finally {
      await runtime.close();
    }
  });

  it('runs the analyses of one step in parallel, each with its verdict, and fails the step at the first failure', async () => {
    const steps = '[{ weight: 50 }, { analysis: [guard, ceiling], for: 2s }]';
    {
      await using h = await released(steps, 'v2', false);
      assert.equal(h.view.state.status, 'succeeded', h.view.state.failure?.reason);
      const mine = h.view.plan.steps.filter((s) => s.cluster === 'stg');
      const starts = mine.filter((s) => s.kind === 'background-analysis');
      const verdicts = mine.filter(
        (s): s is Extract<Step, { kind: 'analysis' }> => s.kind === 'analysis' && !!s.endsBackground,
      );
      assert.deepEqual(
        starts.map((s) => s.kind === 'background-analysis' && [s.template, s.window]),
        [
          ['guard', 'own'],
          ['ceiling', 'own'],
        ],
      );
      assert.deepEqual(
        verdicts.map((s) => s.endsBackground),
        starts.map((s) => s.id),
      );
      for (const v of verdicts) assert.equal(h.view.state.steps.get(v.id)?.evidence?.verdict, 'pass', v.id);
      // Both started before either verdict was asked for: they ran side by side, not one after the other.
      const events = await h.runtime.store.events(h.view.release.id);
      const at = (id: string, type: string) => events.findIndex((e) => e.type === type && stepOf(e) === id);
      const lastStart = Math.max(...starts.map((s) => at(s.id, EventType.stepCompleted)));
      const firstVerdict = Math.min(...verdicts.map((s) => at(s.id, EventType.stepStarted)));
      assert.ok(lastStart >= 0 && lastStart < firstVerdict, `${lastStart} < ${firstVerdict}`);
    }
    {
      await using h = await released(steps, 'bad', false);
      assert.equal(h.view.state.status, 'rolled-back');
      assert.match(h.view.state.failure?.reason ?? '', /error/);
    }
  });
});
