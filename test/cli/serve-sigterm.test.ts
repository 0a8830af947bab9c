/**
 * SIGTERM on a controller that started with nothing to restore drains and exits cleanly: replicas stopped,
 * the store closed, controller.lock removed (it used to be a hard kill: the replicas' signal hook ran after
 * serve's `once` listener had removed itself and believed it was alone) — and the data plane process with it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlive as alive } from '../../src/io/is-alive.js';
import { runBin } from './cli-helpers.js';

describe('serve and SIGTERM', { timeout: 120_000 }, () => {
  it('drains, closes and removes its lock when it started empty', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'slipway-sigterm-'));
    const serve = spawn(
      process.execPath,
      ['bin/slipway.js', 'serve', '-f', 'examples/demo/slipway.yaml', '--port', '0', '--state-dir', stateDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL: ${out}`)), 30_000);
      serve.stdout.on('data', () => {
        const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    const released = runBin('release', 'web@v1', '--env', 'staging', '--server', url);
    assert.equal(released.code, 0, released.stderr);
    assert.ok(existsSync(join(stateDir, 'controller.lock')));
    const replicas = JSON.parse(readFileSync(join(stateDir, 'run', 'staging.pids.json'), 'utf8')) as number[];
    const dataPlane = (
      JSON.parse(readFileSync(join(stateDir, 'run', 'dataplane.json'), 'utf8')) as { pid: number }
    ).pid;
    assert.ok(replicas.length > 0 && [...replicas, dataPlane].every(alive));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      serve.once('exit', (code, signal) => r({ code, signal })),
    );
    serve.kill('SIGTERM');
    const { code, signal } = await exited;
    assert.equal(signal, null, `died of ${signal}: ${out}`);
    assert.equal(code, 0);
    assert.match(out, /stopping: releases in progress resume at the next start/);
    assert.equal(existsSync(join(stateDir, 'controller.lock')), false, 'the lock is released');
    // Stopped on purpose: the data plane drained its replicas and went too (a crash would leave it serving).
    assert.equal(alive(dataPlane), false, 'the data plane process is gone');
    assert.deepEqual(replicas.filter(alive), [], 'every replica is gone');
    assert.equal(existsSync(join(stateDir, 'run', 'dataplane.json')), false);
    assert.match(
      readFileSync(join(stateDir, 'logs', 'dataplane.log'), 'utf8'),
      /draining every replica[\s\S]*stopped/,
    );
  });
});
