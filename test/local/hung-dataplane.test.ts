/**
 * A data plane that runs but no longer answers (here: stopped with SIGSTOP) is killed by the next
 * controller that attaches, and a new one takes over the services — with their ports — and serves them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive } from '../../src/io/is-alive.js';
import { attachDataPlane, stopDataPlane } from '../../src/targets/local/dataplane/attach.js';
import { RemoteLocalTarget } from '../../src/targets/local/dataplane/remote-local-target.js';
import { demoService } from './local-harness.js';

describe('a hung data plane', { timeout: 120_000 }, () => {
  it('is killed by the next controller, and a new one serves the service on the same port', async () => {
    const config = {
      stateDir: mkdtempSync(join(tmpdir(), 'slipway-hung-')),
      clusters: [{ cluster: 'c', services: [demoService()] }],
    };
    const first = await attachDataPlane(config);
    const firstTarget = new RemoteLocalTarget('c', first);
    await firstTarget.ensureReplicas(
      { service: 'web', cluster: 'c' },
      { group: 'stable', version: 'v1', replicas: 1 },
    );
    const endpoint = firstTarget.endpoint('web');
    process.kill(first.info.pid, 'SIGSTOP');
    const lines: string[] = [];
    const second = await attachDataPlane(config, (line) => lines.push(line));
    try {
      assert.notEqual(second.info.pid, first.info.pid);
      assert.equal(isAlive(first.info.pid), false);
      assert.ok(
        lines.some((l) => l.includes(`data plane (pid ${first.info.pid}) runs but has not answered`)),
        lines.join('\n'),
      );
      const target = new RemoteLocalTarget('c', second);
      assert.equal(target.endpoint('web'), endpoint);
      await target.ensureReplicas(
        { service: 'web', cluster: 'c' },
        { group: 'stable', version: 'v1', replicas: 1 },
      );
      const res = await fetch(`${endpoint}/`);
      assert.equal(res.status, 200);
      await res.text();
    } finally {
      await stopDataPlane(second);
    }
  });
});
