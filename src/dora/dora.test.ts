/**
 * DORA figures on a generated history whose figures are known: four weeks of one service's deployments in
 * production (successes on known days, a rolled-back release, a release stopped by a failed gate and fixed
 * later, a success that a person rolled back), and a second service.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from './deployments.js';
import { doraReport } from './dora.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const h = (hours: number) => T0 + hours * 3_600_000;
let n = 0;
const deploy = (
  createdH: number,
  finishedH: number,
  outcome: string,
  more: Partial<Deployment> = {},
): Deployment => ({
  releaseId: `r${++n}`,
  kind: 'release',
  service: 'web',
  environment: 'production',
  version: `v${n}`,
  createdAt: h(createdH),
  finishedAt: h(finishedH),
  outcome,
  ...more,
});

const HISTORY: Deployment[] = [
  deploy(-11, -10, 'succeeded'), // before the window
  // Week 4 (the oldest): a release rolled back 30 minutes after its gate failed.
  deploy(100, 100.7, 'rolled-back', { failedAt: h(100.2) }),
  // Week 3: one deployment day.
  deploy(199.5, 200, 'succeeded', { committedAt: h(195) }),
  // Week 2: two deployment days; the second success is rolled back by a person 3 h later (restored in 1 h).
  deploy(339.5, 340, 'succeeded', { committedAt: h(338) }),
  deploy(369.5, 370, 'succeeded'),
  deploy(373, 374, 'succeeded', { kind: 'rollback' }),
  // Week 1: three deployment days, four deployments; a release stopped by a failed gate, fixed 10 h later.
  deploy(599.5, 600, 'succeeded', { committedAt: h(599.5) }),
  deploy(600.5, 601, 'succeeded'),
  deploy(619, 620.2, 'failed', { failedAt: h(620) }),
  deploy(629, 630, 'succeeded'),
  deploy(659, 660, 'succeeded'),
  deploy(649, 650, 'succeeded', { service: 'api' }),
];

describe('DORA metrics', () => {
  it('gives the known figures of a generated four-week history, per service and per environment', () => {
    const report = doraReport(HISTORY, h(0), h(28 * 24));
    const web = report.byService.find((s) => s.service === 'web')!;
    assert.equal(web.deployments, 7);
    assert.equal(web.medianDeploymentDaysPerWeek, 1.5); // weeks of 3, 2, 1 and 0 deployment days
    assert.equal(web.medianDeploymentDaysPerMonth, 6);
    assert.equal(web.deploymentFrequency, 'high');
    assert.equal(web.leadTimeHours, 2); // 0.5 h, 2 h, 5 h
    assert.equal(web.leadTime, 'high');
    assert.equal(web.finished, 9);
    assert.equal(web.failures, 3);
    assert.ok(Math.abs(web.changeFailureRate! - 3 / 9) < 1e-9);
    assert.equal(web.changeFailure, 'low');
    assert.equal(web.timeToRestoreHours, 1); // 0.5 h, 1 h, 10 h
    assert.equal(web.timeToRestore, 'high');
    assert.equal(web.unrestored, 0);

    const production = report.byEnvironment.find((e) => e.environment === 'production')!;
    assert.equal(production.deployments, 8);
    assert.equal(production.medianDeploymentDaysPerWeek, 1.5);
    assert.equal(production.finished, 10);
    assert.equal(production.failures, 3);
    assert.equal(production.changeFailure, 'medium'); // 30 %
    assert.deepEqual(
      report.byService.map((s) => s.service),
      ['api', 'web'],
    );
  });

  it('bands elite teams and counts a failure not yet restored', () => {
    const day = (d: number, hour = 0) => d * 24 + hour;
    const elite = [0, 1, 2, 3, 4, 5, 6].flatMap((d) => [
      deploy(day(d, 1), day(d, 1.1), 'succeeded', { committedAt: h(day(d, 0.5)) }),
      deploy(day(d, 2), day(d, 2.1), 'succeeded'),
    ]);
    const report = doraReport(
      [...elite, deploy(day(6, 5), day(6, 5.5), 'failed', { failedAt: h(day(6, 5.2)) })],
      h(0),
      h(7 * 24),
    );
    const f = report.byService[0]!;
    assert.equal(f.deploymentFrequency, 'elite');
    assert.equal(f.leadTime, 'elite');
    assert.equal(f.failures, 1);
    assert.equal(f.unrestored, 1);
    assert.equal(f.timeToRestoreHours, null);
    assert.equal(f.changeFailure, 'elite'); // 1 of 15
  });
});
