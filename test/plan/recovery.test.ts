/**
 * Disaster recovery in a plan and in `slipway status` (seed 002's "Backup & DR"): the scenarios that concern
 * the released services, the platform's targets, and a warning where a scenario restores from backups that
 * are further apart than its RPO.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderStatus } from '../../src/cli/commands/release-commands.js';
import { planRelease } from '../../src/plan/plan-release.js';
import { renderPlan } from '../../src/plan/render-plan.js';
import { requireSpec } from '../../src/spec/index.js';

describe('disaster recovery in the plan', () => {
  const { spec } = requireSpec('examples/medical-platform/slipway.yaml');

  it('shows the scenarios of the released services and warns where the backups cannot keep the RPO', () => {
    const plan = planRelease(spec, { changes: [{ service: 'postgresql', version: '15' }] }, () => '14');
    assert.deepEqual(
      plan.recovery?.scenarios.map((s) => s.scenario),
      ['Single pod failure', 'Node failure', 'Zone failure', 'Database failure', 'Region failure'],
    );
    assert.deepEqual(plan.warnings, [
      'recovery scenario "Region failure" promises an RPO of 1h, but postgresql\'s backups ("0 2 * * *") can be 1d apart: a restore may lose that much',
    ]);
    assert.match(
      renderPlan(plan),
      /Disaster recovery:\n(.*\n)* {2}- Region failure: RTO 2h, RPO 1h — Restore from backup \(backups: postgresql 0 2 \* \* \*, redis \*\/15 \* \* \* \*\)/,
    );

    // A release of another service: the database's own scenarios are not its concern.
    const api = planRelease(spec, { changes: [{ service: 'api-gateway', version: '2.0' }] }, () => '1.0');
    assert.deepEqual(
      api.recovery?.scenarios.map((s) => s.scenario),
      ['Single pod failure', 'Node failure', 'Zone failure'],
    );
    assert.equal(api.warnings?.some((w) => /recovery/.test(w)) ?? false, false);
  });

  it('carries them into slipway status', () => {
    const plan = planRelease(spec, { changes: [{ service: 'postgresql', version: '15' }] }, () => '14');
    const text = renderStatus({
      id: 'r1',
      kind: 'release',
      platform: 'medical-platform',
      createdBy: 'ops',
      status: 'running',
      changes: plan.request.changes,
      approvals: {},
      steps: [],
      ...(plan.recovery ? { recovery: plan.recovery } : {}),
      ...(plan.warnings ? { warnings: plan.warnings } : {}),
    });
    assert.match(text, /Disaster recovery:\n {2}- Single pod failure: RTO 1m, RPO 0/);
    assert.match(text, /Warning: recovery scenario "Region failure" promises an RPO of 1h/);
  });

  it('shows the platform targets and regions', () => {
    const { spec: normaldance } = requireSpec('examples/normaldance/slipway.yaml');
    const plan = planRelease(
      normaldance,
      { changes: [{ service: 'normaldance-api', version: 'v9' }] },
      () => 'v8',
    );
    assert.equal(
      plan.recovery?.targets,
      'RTO 4h; RPO 15m; regions: primary us-east-1, DR us-west-2, backups eu-central-1',
    );
  });
});
