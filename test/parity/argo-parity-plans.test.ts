/**
 * The parity corpus (examples/argo-parity/): one spec per Argo Rollouts example, each planned from its stable
 * version, with the step sequence Argo's example describes. Every file is headed by the Argo file it mirrors.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { planRelease } from '../../src/plan/plan-release.js';
import type { Step } from '../../src/plan/types.js';
import { requireSpec } from '../../src/spec/index.js';
import { runCli } from '../cli/cli-helpers.js';

const DIR = 'examples/argo-parity';

function stepsOf(file: string): Step[] {
  const { spec } = requireSpec(`${DIR}/${file}`);
  const plan = planRelease(spec, { changes: [{ service: 'rollouts-demo', version: 'green' }] }, () => 'blue');
  return plan.steps.filter((s) => s.cluster === 'local-1' && s.kind !== 'preflight');
}

/** A step as kind and what it sets: weights, replicas, pause length, analysis template. */
function brief(s: Step): string {
  if (s.kind === 'ensure-replicas') return `ensure ${s.group} ${s.replicas}`;
  if (s.kind === 'set-weights') {
    const variants = Object.entries(s.weights).filter(([g]) => g.startsWith('experiment-'));
    const shares = variants.map(([g, w]) => ` ${g} ${w}`).join('');
    return `weights ${s.weights.canary ?? s.weights.preview ?? 0}${s.weights.baseline !== undefined ? ` baseline ${s.weights.baseline}` : ''}${shares}${s.matches?.length ? ' +headers' : ''}`;
  }
  if (s.kind === 'pause') return s.untilPromoted ? 'pause promote' : `pause ${(s.durationMs ?? 0) / 1000}s`;
  if (s.kind === 'analysis') return `analysis ${s.template}${s.endsBackground ? ' closes' : ''}`;
  if (s.kind === 'background-analysis')
    return `${s.window === 'own' ? 'starts' : 'background'} ${s.template}${s.group ? ` ${s.group}` : ''}`;
  if (s.kind === 'scale-to-zero') return `remove ${s.group}`;
  return s.kind;
}

const EXPECTED: Record<string, { mirrors: string; steps: string[] }> = {
  'canary.yaml': {
    mirrors: 'examples/rollout-canary.yaml',
    steps: [
      ...['ensure canary 1', 'weights 20', 'pause promote'],
      ...['ensure canary 2', 'weights 40', 'pause 40s'],
      ...['ensure canary 3', 'weights 60', 'pause 20s'],
      ...['ensure canary 4', 'weights 80', 'pause 20s'],
      'promote',
      'record-version',
    ],
  },
  'bluegreen.yaml': {
    mirrors: 'examples/rollout-bluegreen.yaml',
    steps: ['ensure preview 2', 'pause promote', 'weights 100', 'pause 30s', 'promote', 'record-version'],
  },
  'analysis-step.yaml': {
    mirrors: 'examples/rollout-analysis-step.yaml',
    steps: ['ensure canary 1', 'weights 25', 'analysis step-analysis', 'promote', 'record-version'],
  },
  'background-analysis.yaml': {
    mirrors: 'examples/rollout-background-analysis.yaml',
    steps: [
      'ensure canary 1',
      'weights 25',
      'background background-analysis',
      'pause promote',
      'analysis background-analysis closes',
      'promote',
      'record-version',
    ],
  },
  'baseline-vs-canary.yaml': {
    mirrors: 'examples/rollout-baseline-vs-canary.yaml',
    steps: [
      ...['ensure canary 1', 'ensure baseline 1', 'weights 30 baseline 30', 'analysis versus-baseline'],
      ...['weights 30', 'remove baseline', 'promote', 'record-version'],
    ],
  },
  'experiment.yaml': {
    mirrors: 'examples/rollout-experiment-step.yaml',
    steps: [
      ...['ensure canary 1', 'weights 25', 'ensure experiment-canary 1', 'ensure experiment-orange 1'],
      'weights 25 experiment-canary 10 experiment-orange 10',
      ...['starts candidate-health experiment-canary', 'starts candidate-health experiment-orange'],
      ...['analysis candidate-health closes', 'analysis candidate-health closes', 'weights 25'],
      ...['remove experiment-canary', 'remove experiment-orange', 'promote', 'record-version'],
    ],
  },
  'rolling-update.yaml': {
    mirrors: 'examples/rollout-rolling-update.yaml',
    steps: ['ensure stable 5', 'record-version'],
  },
  'header-routing.yaml': {
    mirrors: 'setHeaderRoute',
    steps: [
      'ensure canary 1',
      'weights 0 +headers',
      'pause promote',
      'ensure canary 2',
      'weights 50 +headers',
      'pause 10s',
      'promote',
      'record-version',
    ],
  },
  'notifications.yaml': {
    mirrors: 'examples/notifications/rollout-canary.yaml',
    steps: [
      ...['ensure canary 1', 'weights 20', 'pause promote'],
      ...['ensure canary 2', 'weights 40', 'pause 10s'],
      ...['ensure canary 3', 'weights 60', 'pause 10s'],
      ...['ensure canary 4', 'weights 80', 'pause 10s'],
      'promote',
      'record-version',
    ],
  },
};

describe('the Argo Rollouts parity corpus', () => {
  it('has a case for every file, and a file for every case', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual(files.sort(), Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file} plans as Argo's ${expected.mirrors} runs`, () => {
      const head = readFileSync(`${DIR}/${file}`, 'utf8').split('\n').slice(0, 3).join('\n');
      assert.match(head, new RegExp(`Mirrors .*${expected.mirrors.replace(/[.]/g, '\\.')}`));
      assert.match(readFileSync(`${DIR}/${file}`, 'utf8'), /^# Differs: /m);
      assert.deepEqual(stepsOf(file).map(brief), expected.steps);
    });
  }

  it('a fresh baseline: the same size as the canary, judged against, emptied on rollback', () => {
    const steps = stepsOf('baseline-vs-canary.yaml');
    const analysis = steps.find((s) => s.kind === 'analysis');
    assert.equal(analysis?.kind === 'analysis' && analysis.baselineGroup, 'baseline');
    assert.equal(analysis?.kind === 'analysis' && analysis.baselineVersion, 'blue');
    const baseline = steps.find((s) => s.kind === 'ensure-replicas' && s.group === 'baseline');
    assert.equal(baseline?.kind === 'ensure-replicas' && baseline.version, 'blue');
    const { spec } = requireSpec(`${DIR}/baseline-vs-canary.yaml`);
    const plan = planRelease(
      spec,
      { changes: [{ service: 'rollouts-demo', version: 'green' }] },
      () => 'blue',
    );
    assert.deepEqual(plan.touches[0]?.separateGroups, ['baseline']);
    // Without the key, the analysis compares with the stable pods.
    const stable = requireSpec(`${DIR}/analysis-step.yaml`).spec;
    const plain = planRelease(
      stable,
      { changes: [{ service: 'rollouts-demo', version: 'green' }] },
      () => 'blue',
    );
    assert.ok(plain.steps.every((s) => s.kind !== 'analysis' || s.baselineGroup === undefined));
    assert.equal(plain.touches[0]?.separateGroups, undefined);
  });

  it('the step that closes a background analysis names the step that started it', () => {
    const steps = stepsOf('background-analysis.yaml');
    const started = steps.find((s) => s.kind === 'background-analysis')!;
    const closing = steps.find((s) => s.kind === 'analysis');
    assert.equal(closing?.kind === 'analysis' && closing.endsBackground, started.id);
  });

  it('`slipway plan --from VERSION` plans a release from that version (what the docs tell a person to run)', async () => {
    const file = `${DIR}/background-analysis.yaml`;
    const args = ['plan', 'rollouts-demo@green', '-f', file, '--state-dir', '/nonexistent-slipway-state'];
    const from = await runCli(...args, '--from', 'blue');
    assert.equal(from.code, 0, from.stderr);
    assert.match(from.stdout, /rollouts-demo blue → green \[canary, 4 replicas\]/);
    assert.match(
      from.stdout,
      /03-background +analysis background-analysis of green vs blue starts in the background/,
    );
    assert.match(
      from.stdout,
      /05-analysis +analysis background-analysis \(background since 03-background\) closes/,
    );
    // Without it, nothing runs on a local cluster with no history: a first deployment.
    assert.match((await runCli(...args)).stdout, /\(none\) → green \[initial/);
    const bad = await runCli(...args, '--from', '../../x');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /VERSION_INVALID: --from/);
  });
});
