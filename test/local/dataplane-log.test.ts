/** The data plane's log stays bounded: every start appends to it, and past 1 MB the older part moves aside. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { attachDataPlane, stopDataPlane } from '../../src/targets/local/dataplane/attach.js';
import { demoService } from './local-harness.js';

describe('the data plane log', { timeout: 60_000 }, () => {
  it('moves the older part aside past 1 MB, and keeps one', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'slipway-dataplane-log-'));
    const log = join(stateDir, 'logs', 'dataplane.log');
    mkdirSync(join(stateDir, 'logs'));
    writeFileSync(log, 'x'.repeat(1_100_000));
    const client = await attachDataPlane({
      stateDir,
      clusters: [{ cluster: 'c', services: [demoService()] }],
    });
    await stopDataPlane(client);
    assert.equal(statSync(`${log}.1`).size, 1_100_000);
    assert.ok(statSync(log).size < 10_000);
    assert.match(readFileSync(log, 'utf8'), /data plane \d+ on 127\.0\.0\.1:\d+[\s\S]*stopped/);
    assert.equal(existsSync(`${log}.2`), false);
  });
});
