/** Replicas of a controller killed with SIGKILL are reaped by the next start of the same cluster. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive as alive } from '../../src/io/is-alive.js';
import { LocalTarget } from '../../src/targets/local/local-target.js';
import { demoService, eventually, ROOT } from './local-harness.js';

describe('orphaned replicas', { timeout: 120_000 }, () => {
  it('are killed when the cluster starts again after a controller crash', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'slipway-orphans-'));
    const controller = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/local/killed-controller.ts', stateDir, 'orphan'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      controller.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as number[]);
      });
      controller.once('exit', (code) => reject(new Error(`controller exited with ${code}`)));
    });
    assert.equal(pids.length, 2);
    controller.kill('SIGKILL');
    await new Promise((r) => controller.once('exit', r));
    assert.ok(pids.every(alive), 'a SIGKILLed controller leaves its replicas running');

    const next = new LocalTarget({ cluster: 'orphan', services: [demoService()], stateDir });
    try {
      await next.start();
      await eventually(() => pids.every((p) => !alive(p)), 10_000, 'orphans to die');
    } finally {
      await next.close();
    }
  });
});
