import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRelease } from '../plan/plan-release.js';
import type { Step } from '../plan/types.js';
import { loadSpecText } from '../spec/index.js';

/** The plan steps of one service on one local cluster, releasing v1 → v2 with this release policy. */
function serviceSteps(release: string, replicas = 2, more = ''): Step[] {
  const r = loadSpecText(
    `apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: p }
environments: { staging: { clusters: { c: { local: {} } } } }
services:
  web:
    local: { command: node examples/demo/service.js }
    port: 8080
    replicas: ${replicas}
    release: { ${release} }
${more}`,
    'p.yaml',
  );
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return planRelease(r.spec, { changes: [{ service: 'web', version: 'v2' }] }, () => 'v1').steps.filter((s) =>
    s.id.startsWith('staging/c/web/'),
  );
}

const kinds = (strategy: string, extra: string) =>
  serviceSteps(`strategy: ${strategy}${extra}`).map((s) =>
    s.kind === 'pause' && s.untilPromoted ? 'wait-for-promote' : s.kind,
  );

function canary(replicas: number, steps: string) {
  return serviceSteps(`strategy: canary, steps: ${steps}`, replicas).flatMap((s) =>
    s.kind === 'ensure-replicas' && s.group === 'canary'
      ? [`canary ${s.replicas}`]
      : s.kind === 'set-weights'
        ? [`weight ${s.weights.canary ?? 0}`]
        : [],
  );
}

describe('autoPromote', () => {
  it('false holds a canary before promotion, and a blue-green preview before the switch, until slipway promote', () => {
    for (const [strategy, next] of [
      ['canary', 'promote'],
      // As Argo's autoPromotionEnabled: false: the preview gets no production traffic before the promote.
      ['blue-green', 'set-weights'],
    ] as const) {
      const held = kinds(strategy, ', autoPromote: false');
      assert.equal(held.at(held.indexOf(next) - 1), 'wait-for-promote', `${strategy}: ${held.join(' ')}`);
      assert.ok(
        !kinds(strategy, '').includes('wait-for-promote'),
        `${strategy} promotes by itself by default`,
      );
    }
  });

  it("a duration (Argo's autoPromotionSeconds) holds at the same place for at most that long", () => {
    for (const [strategy, next] of [
      ['canary', 'promote'],
      ['blue-green', 'set-weights'],
    ] as const) {
      const steps = serviceSteps(`strategy: ${strategy}, autoPromote: 45s`);
      const at = steps.findIndex((s) => s.kind === next);
      const hold = steps[at - 1]!;
      assert.ok(hold.kind === 'pause' && hold.untilPromoted, `${strategy}: ${hold.kind}`);
      assert.equal(hold.durationMs, 45_000);
      assert.match(hold.title, /pause until `slipway promote`, at most 45s: then on by itself/);
    }
  });
});

describe('maxSurge and maxUnavailable beyond rolling', () => {
  it("bound stable's replacement when a canary or a blue-green preview is promoted", () => {
    for (const strategy of ['canary', 'blue-green']) {
      const promote = serviceSteps(`strategy: ${strategy}, maxSurge: 0, maxUnavailable: 1`).find(
        (s) => s.kind === 'promote',
      );
      assert.ok(promote?.kind === 'promote');
      assert.equal(promote.maxSurge, 0);
      assert.equal(promote.maxUnavailable, 1);
    }
  });
});

describe('canary capacity follows traffic', () => {
  it('grows before each weight moves up, to all replicas at 100 %', () => {
    assert.deepEqual(canary(5, '[{ weight: 30 }, { weight: 60 }, { weight: 100 }]'), [
      'canary 2',
      'weight 30',
      'canary 3',
      'weight 60',
      'canary 5',
      'weight 100',
    ]);
  });

  it('starts at the first weight’s share and gives replicas back after a weight moves down', () => {
    assert.deepEqual(canary(4, '[{ weight: 20 }, { weight: 50 }, { weight: 10 }]'), [
      'canary 1',
      'weight 20',
      'canary 2',
      'weight 50',
      'weight 10',
      'canary 1',
    ]);
  });
});

describe('canary steps keep what they say', () => {
  it('a header route holds through later weight steps until promotion', () => {
    const steps = serviceSteps(
      'strategy: canary, steps: [{ weight: 10 }, { match: { headers: { x-beta: "on" } } }, { weight: 30 }, { weight: 60 }]',
    );
    const routes = steps
      .filter((s) => s.kind === 'set-weights')
      .map(
        (s) =>
          `${s.weights.canary}% ${s.kind === 'set-weights' && s.matches ? JSON.stringify(s.matches[0]!.headers) : '-'}`,
      );
    assert.deepEqual(routes, ['10% -', '10% {"x-beta":"on"}', '30% {"x-beta":"on"}', '60% {"x-beta":"on"}']);
  });

  it('{ weight, for } holds the weight that long; pause takes seconds as Argo Rollouts writes them', () => {
    const steps = serviceSteps(
      'strategy: canary, steps: [{ weight: 20, for: 90s }, { pause: 15 }, { weight: 50 }]',
    );
    const sequence = steps.flatMap((s) =>
      s.kind === 'set-weights'
        ? [`weight ${s.weights.canary}`]
        : s.kind === 'pause'
          ? [`pause ${s.durationMs}`]
          : [],
    );
    assert.deepEqual(sequence, ['weight 20', 'pause 90000', 'pause 15000', 'weight 50']);
  });

  it("scale sizes the canary apart from its weight (Argo's setCanaryScale) until matchTrafficWeight", () => {
    // Full size at 0 % traffic for header-only testing, then weights without resizing, then back to weights.
    assert.deepEqual(
      canary(
        4,
        "[{ scale: { replicas: 4 } }, { weight: 0 }, { match: { headers: { x-beta: 'on' } } }, { weight: 25 }, { scale: matchTrafficWeight }, { weight: 50 }]",
      ),
      // matchTrafficWeight at 25 %: one replica; the next weight grows it first.
      ['canary 4', 'weight 0', 'weight 0', 'weight 25', 'canary 1', 'canary 2', 'weight 50'],
    );
    // A percentage of the service's replicas, at least one.
    assert.deepEqual(canary(5, '[{ scale: { percent: 10 } }, { weight: 60 }]'), ['canary 1', 'weight 60']);
    assert.deepEqual(canary(5, '[{ weight: 20 }, { scale: { percent: 60 } }, { weight: 40 }]'), [
      'canary 1',
      'weight 20',
      'canary 3',
      'weight 40',
    ]);
  });
});

describe('several analyses in one step', () => {
  it('start side by side and each has its verdict step, in the order given', () => {
    const steps = serviceSteps(
      'strategy: canary, steps: [{ weight: 20 }, { analysis: [errors, latency], for: 1m }, { weight: 60 }]',
      1,
      'analysis:\n  errors: { errorRate: { max: 1% } }\n  latency: { latencyP95: { max: 300ms } }\n',
    ).filter((s) => s.kind !== 'preflight');
    assert.deepEqual(
      steps.map((s) =>
        s.kind === 'background-analysis'
          ? `start ${s.template} ${s.durationMs / 1000}s`
          : s.kind === 'analysis'
            ? `verdict ${s.template}`
            : s.kind,
      ),
      [
        'ensure-replicas',
        'set-weights',
        'start errors 60s',
        'start latency 60s',
        'verdict errors',
        'verdict latency',
        'set-weights',
        'promote',
        'record-version',
      ],
    );
  });
});

describe('an analysis template with count', () => {
  it('lasts count × interval, in a step and in the background, and the plan says so', () => {
    const steps = serviceSteps(
      'strategy: canary, steps: [{ weight: 20 }, { analysis: polled }, { pause: 1m }], analysis: [polled]',
      2,
      'analysis:\n  polled: { provider: builtin, interval: 10s, count: 6, errorRate: { max: 1% } }',
    );
    const analyses = steps.filter(
      (s): s is Extract<Step, { kind: 'analysis' | 'background-analysis' }> =>
        s.kind === 'analysis' || s.kind === 'background-analysis',
    );
    assert.ok(analyses.length >= 2);
    for (const a of analyses) assert.equal(a.durationMs, 60_000, a.title);
    const own = analyses.find((a) => a.kind === 'analysis' && !a.endsBackground)!;
    assert.match(own.title, /for 6 measurements, one every 10s \(at most 60s\)/);
  });
});
