/** A replica's environment is what it is given, not the controller's: a planted secret is not in /proc/<pid>/environ. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { demoService, startTarget } from './local-harness.js';

describe('replica environment', { timeout: 60_000 }, () => {
  it('holds the spec env and Slipway’s variables, and none of the controller’s secrets', async () => {
    process.env['SLACK_WEBHOOK'] = 'https://hooks.slack.com/services/T0/B1/planted-webhook-secret';
    try {
      await using h = await startTarget([demoService({ env: { GREETING: 'hello' } })]);
      const status = await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 1 });
      const pid = status.replicas[0]?.pid;
      assert.ok(pid);
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes('GREETING=hello'));
      assert.ok(environ.includes('SLIPWAY_VERSION=v1'));
      assert.ok(environ.some((v) => v.startsWith('PATH=')));
      assert.equal(environ.filter((v) => v.includes('planted-webhook-secret')).length, 0);
    } finally {
      delete process.env['SLACK_WEBHOOK'];
    }
  });
});
