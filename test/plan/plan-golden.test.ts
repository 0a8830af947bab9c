/**
 * Golden plans: `slipway plan` output for the examples, committed under test/plan/golden and read by a
 * person when it changes. SLIPWAY_UPDATE_GOLDEN=1 rewrites them.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { planRelease } from '../../src/plan/plan-release.js';
import { renderPlan } from '../../src/plan/render-plan.js';
import { requireSpec } from '../../src/spec/index.js';

const CASES: {
  name: string;
  spec: string;
  changes: [string, string][];
  local?: boolean;
  environments?: string[];
}[] = [
  { name: 'demo-first-deploy', spec: 'demo', changes: [['web', 'v1']], local: true },
  { name: 'demo-canary', spec: 'demo', changes: [['web', 'v2']] },
  {
    name: 'x0tta6bl4-update',
    spec: 'x0tta6bl4-update',
    changes: [
      ['api-gateway', 'v1.1.0'],
      ['cultural-agents', 'v1.1.0'],
      ['quantum-services', 'v1.1.0'],
    ],
  },
  {
    name: 'x0tta6bl4-optimizations',
    spec: 'x0tta6bl4-optimizations',
    changes: [
      ['cilium-optimization', '1.1.0'],
      ['batman-adv-optimization', '1.1.0'],
      ['mtls-optimization', '1.1.0'],
      ['spire-optimization', '1.1.0'],
      ['hnsw-optimization', '1.1.0'],
    ],
  },
  { name: 'medical-platform', spec: 'medical-platform', changes: [['ml-inference', '2.11.0-gpu']] },
];

describe('golden plans', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { spec } = requireSpec(`examples/${c.spec}/slipway.yaml`);
      // The demo's first deployment has nothing running; the others start from the spec's `version`, or v1.
      const plan = planRelease(
        spec,
        { changes: c.changes.map(([service, version]) => ({ service, version })) },
        (_e, _c, s) => (c.local ? undefined : (spec.services[s]?.version ?? '1.0.0')),
      );
      const text = renderPlan(plan);
      const file = `test/plan/golden/${c.name}.txt`;
      if (process.env['SLIPWAY_UPDATE_GOLDEN'] || !existsSync(file)) writeFileSync(file, text);
      assert.equal(text, readFileSync(file, 'utf8'));
    });
  }

  it('orders the x0tta6bl4 optimizations by priority group 1A → 2B, whatever the request order', () => {
    const text = readFileSync('test/plan/golden/x0tta6bl4-optimizations.txt', 'utf8');
    const order = [
      'batman-adv-optimization',
      'spire-optimization',
      'hnsw-optimization',
      'mtls-optimization',
      'cilium-optimization',
    ].map((s) => text.indexOf(`us-east-1 · ${s}`));
    assert.ok(
      order.every((p, i) => p > 0 && (i === 0 || p > order[i - 1]!)),
      `order ${order.join(',')}`,
    );
  });

  it('refuses to release a Helm-delivered service, naming it and its chart', () => {
    const { spec } = requireSpec('examples/normaldance/slipway.yaml');
    assert.throws(
      () => planRelease(spec, { changes: [{ service: 'grafana', version: '10.0.0' }] }, () => undefined),
      (e: Error & { code?: string }) =>
        e.code === 'PLAN_NOT_SUPPORTED' &&
        /grafana is delivered by the Helm chart grafana\/grafana \(services\.grafana\.helm\): releasing Helm charts is not supported yet/.test(
          e.message,
        ),
    );
  });

  it('rejects an unknown service with a suggestion', () => {
    const { spec } = requireSpec('examples/demo/slipway.yaml');
    assert.throws(
      () => planRelease(spec, { changes: [{ service: 'wbe', version: 'v2' }] }, () => undefined),
      /unknown service "wbe"/,
    );
  });
});
