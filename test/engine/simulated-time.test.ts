/**
 * The release engine on simulated time (the clock port with a ManualClock, an in-memory target, SQLite):
 * an hour's pause, half an hour's pause and a four-hour approval timeout take milliseconds, and the log's
 * timestamps say how long each wait lasted on that clock. The lease (15 s) is renewed on the same clock all
 * along: with its keeper on the system's, the store fences the release after 15 simulated seconds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Controller } from '../../src/engine/controller.js';
import { EventType } from '../../src/engine/events.js';
import { BuiltinMetrics } from '../../src/providers/builtin.js';
import { templateProviders } from '../../src/providers/for-template.js';
import { loadSpecText } from '../../src/spec/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Target } from '../../src/targets/target.js';
import { ManualClock } from '../../src/time/manual-clock.js';
import { ROOT } from '../local/local-harness.js';
import { FakeTarget } from '../targets/fake-target.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: simulated }
environments:
  staging:
    clusters: { stg: { local: {} } }
  production:
    approval: { required: true, approvals: 1, timeout: 4h }
    clusters: { prod: { local: {} } }
services:
  web:
    local: { command: node examples/demo/service.js }
    port: 8080
    replicas: 2
    release:
      strategy: canary
      steps: [{ weight: 20 }, { pause: 1h }, { weight: 50 }, { pause: 30m }]
`;

describe('the engine on simulated time', { timeout: 60_000 }, () => {
  it('pauses of an hour and an approval that times out after four hours, in milliseconds', async () => {
    const loaded = loadSpecText(SPEC, 'simulated.yaml');
    assert.ok(loaded.ok);
    const clock = new ManualClock();
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'slipway-sim-')), 'state.db'), { clock });
    const targets = new Map<string, Target>([
      ['stg', new FakeTarget()],
      ['prod', new FakeTarget()],
    ]);
    const controller = new Controller({
      store,
      spec: loaded.spec,
      targets,
      metrics: new BuiltinMetrics(targets),
      providers: templateProviders(targets),
      notifier: { send: () => undefined },
      owner: 'simulated',
      cwd: ROOT,
      pollMs: 1000,
      clock,
    });
    const first = await controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'kim');
    await controller.approve(first.release.id, 'ana', 'production');
    assert.equal((await controller.wait(first.release.id)).state.status, 'succeeded');

    const began = clock.now();
    const second = await controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'kim');
    const view = await controller.wait(second.release.id);
    assert.equal(view.state.status, 'rolled-back');
    assert.match(view.state.failure?.reason ?? '', /approval timed out/);
    const lasted = (id: string) => {
      const s = view.state.steps.get(id)!;
      return (Date.parse(s.completedAt!) - Date.parse(s.startedAt!)) / 1000;
    };
    const pauses = view.plan.steps
      .filter((s) => s.kind === 'pause' && s.environment === 'staging')
      .map((s) => lasted(s.id));
    assert.equal(pauses.length, 2);
    assert.ok(pauses[0]! >= 3600 && pauses[0]! < 3602, `the hour's pause lasted ${pauses[0]} s on the clock`);
    assert.ok(pauses[1]! >= 1800 && pauses[1]! < 1802, `the half hour's lasted ${pauses[1]} s`);
    const approval = view.state.steps.get('production/approval')!;
    const failed = (await store.events(second.release.id)).find((e) => e.type === EventType.gateFailed)!;
    const waited = (Date.parse(failed.time) - Date.parse(approval.startedAt!)) / 3600_000;
    assert.ok(waited >= 4 && waited < 4.01, `the approval waited ${waited} h on the clock`);
    assert.ok(clock.now() - began >= 5.5 * 3600_000, 'five and a half hours passed on the clock');
  });
});
