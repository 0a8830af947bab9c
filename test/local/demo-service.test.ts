/**
 * The demo service and its load generator on their own, as docs/local-target.md shows them (only the port
 * is one the kernel found free, and the load lasts 3 s): about 5 % of the answers are errors, nothing else
 * fails, its WebSocket echoes what ws-say.js says, and SIGTERM stops the service gracefully.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { freePort } from '../../src/targets/local/free-port.js';
import { eventually, ROOT } from './local-harness.js';

describe('the demo service and load script by hand', { timeout: 60_000 }, () => {
  it('serves with DEMO_ERROR_RATE, the load script reports what it got, kill stops it', async () => {
    const port = await freePort();
    const service = spawn(process.execPath, ['examples/demo/service.js'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DEMO_ERROR_RATE: '0.05' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => service.once('exit', (code) => r(code)));
    try {
      await eventually(
        async () =>
          (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok === true,
        20_000,
        'the service to answer',
      );
      const load = spawnSync(
        process.execPath,
        ['examples/demo/load.js', `http://127.0.0.1:${port}/`, '200', '3'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      assert.equal(load.status, 0, load.stderr);
      const report = JSON.parse(load.stdout) as { requests: number; failed: number; networkErrors: number };
      assert.ok(report.requests >= 300, JSON.stringify(report));
      assert.equal(report.networkErrors, 0);
      const share = report.failed / report.requests;
      assert.ok(share > 0.01 && share < 0.12, `about 5 % errors: ${share}`);
      const said = spawnSync(
        process.execPath,
        ['examples/demo/ws-say.js', `ws://127.0.0.1:${port}/echo`, 'hello', 'again'],
        { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
      );
      assert.equal(said.status, 0, said.stderr);
      assert.equal(said.stdout, 'demo@dev: hello\ndemo@dev: again\n');
      const wrong = spawnSync(
        process.execPath,
        ['examples/demo/ws-say.js', `ws://127.0.0.1:${port}/nowhere`, 'hi'],
        { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
      );
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /answered 404 instead of a WebSocket/);
    } finally {
      service.kill('SIGTERM');
    }
    assert.equal(await exited, 0, 'a graceful exit on SIGTERM');
  });
});
