/**
 * `slipway services` shows where a local cluster serves each service, and the address stays through a
 * controller crash; `slipway down` stops the data plane a killed controller left serving (replicas
 * drained), and refuses while a controller runs.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive as alive } from '../../src/io/is-alive.js';
import { callController, startController, stop } from '../engine/controller-harness.js';
import { BASE_SPEC } from '../engine/engine-harness.js';
import { sleep } from '../local/local-harness.js';
import { runBin } from './cli-helpers.js';

describe('slipway services and slipway down', { timeout: 180_000 }, () => {
  it('replaces a data plane that died or hangs, on the same port, running what ran before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-dataplane-died-'));
    writeFileSync(join(dir, 'slipway.yaml'), BASE_SPEC());
    const c = await startController(dir);
    try {
      assert.equal(runBin('release', 'web@v1', '--server', c.url).code, 0);
      type Row = { cluster: string; endpoint?: string };
      const endpoint = (await callController<Row[]>(c, 'GET', '/v1/services'))?.find(
        (s) => s.cluster === 'east',
      )?.endpoint;
      assert.ok(endpoint);
      const info = join(dir, 'state', 'run', 'dataplane.json');
      const dead = (JSON.parse(readFileSync(info, 'utf8')) as { pid: number }).pid;
      process.kill(dead, 'SIGKILL');
      let status = 0;
      for (let i = 0; i < 300 && status !== 200; i++) {
        await sleep(100);
        status = await fetch(`${endpoint}/health`).then(
          (r) => r.status,
          () => 0,
        );
      }
      assert.equal(status, 200, `not served again at ${endpoint}:\n${c.output()}`);
      assert.notEqual((JSON.parse(readFileSync(info, 'utf8')) as { pid: number }).pid, dead);
      assert.match(c.output(), new RegExp(`the data plane \\(pid ${dead}\\) is gone: starting a new one`));
      // One that runs but no longer answers (stopped) is killed and replaced the same way.
      const hung = (JSON.parse(readFileSync(info, 'utf8')) as { pid: number }).pid;
      process.kill(hung, 'SIGSTOP');
      status = 0;
      for (let i = 0; i < 60 && status !== 200; i++) {
        await sleep(500);
        status = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1000) }).then(
          (r) => r.status,
          () => 0,
        );
      }
      assert.equal(status, 200, `not served again after a hang at ${endpoint}:\n${c.output()}`);
      assert.equal(alive(hung), false);
      assert.match(c.output(), new RegExp(`the data plane \\(pid ${hung}\\) does not answer`));
      assert.match(c.output(), new RegExp(`the data plane \\(pid ${hung}\\) runs but has not answered`));
      const released = runBin('release', 'web@v2', '--server', c.url);
      assert.equal(released.code, 0, released.stderr);
    } finally {
      await stop(c);
    }
  });

  it('shows stable addresses, and stops a data plane left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-down-'));
    const stateDir = join(dir, 'state');
    writeFileSync(join(dir, 'slipway.yaml'), BASE_SPEC());
    let c = await startController(dir);
    try {
      const first = runBin('release', 'web@v1', '--server', c.url);
      assert.equal(first.code, 0, first.stderr);
      const services = runBin('services', '--server', c.url);
      assert.equal(services.code, 0, services.stderr);
      const endpoint = /^east\s+web\s+stable v1 ×2\s+stable 100%\s+(http:\/\/127\.0\.0\.1:\d+)$/m.exec(
        services.stdout,
      )?.[1];
      assert.ok(endpoint, services.stdout);
      assert.equal((await fetch(`${endpoint}/health`)).status, 200);

      const refused = runBin('down', '--state-dir', stateDir);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /DOWN_CONTROLLER_RUNNING/);

      c.child.kill('SIGKILL');
      await c.exited;
      assert.equal((await fetch(`${endpoint}/health`)).status, 200, 'served with no controller');
      c = await startController(dir);
      const again =
        (await callController<{ cluster: string; endpoint?: string }[]>(c, 'GET', '/v1/services')) ?? [];
      assert.equal(
        again.find((s) => s.cluster === 'east')?.endpoint,
        endpoint,
        'the same address after a restart',
      );
      c.child.kill('SIGKILL');
      await c.exited;
    } finally {
      if (c.child.exitCode === null && c.child.signalCode === null) await stop(c);
    }
    const plane = (
      JSON.parse(readFileSync(join(stateDir, 'run', 'dataplane.json'), 'utf8')) as { pid: number }
    ).pid;
    const replicas = JSON.parse(readFileSync(join(stateDir, 'run', 'east.pids.json'), 'utf8')) as number[];
    assert.ok(alive(plane) && replicas.length === 2 && replicas.every(alive));
    const down = runBin('down', '--state-dir', stateDir);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`stopped the data plane \\(pid ${plane}\\)`));
    for (let i = 0; i < 50 && replicas.some(alive); i++) await sleep(100);
    assert.equal(alive(plane), false);
    assert.deepEqual(replicas.filter(alive), []);
    assert.match(runBin('down', '--state-dir', stateDir).stdout, /no data plane runs/);
  });
});
