/**
 * The load check measures what its keys name: `maxP95` against the 95th percentile (it was compared with
 * p90), `maxMean` against the mean, and `concurrency` bounds the requests in flight (it was ignored).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../../src/engine/gates/run-check.js';

describe('load check', { timeout: 60_000 }, () => {
  let inFlight = 0;
  let most = 0;
  let endpoint = '';
  // Every tenth request is slow (200 ms), the rest fast: p90 is fast, p95 slow.
  let n = 0;
  const server = createServer((_req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    const slow = n++ % 10 === 9;
    setTimeout(
      () => {
        inFlight--;
        res.end('ok');
      },
      slow ? 200 : 2,
    );
  });
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const target = () => ({
    service: 'web',
    version: 'v2',
    cluster: 'east',
    environment: 'production',
    namespace: 'default',
    endpoint,
    cwd: process.cwd(),
  });

  it('judges p95 and mean latency, and keeps at most `concurrency` requests in flight', async () => {
    most = 0;
    const p95 = await runCheck('p95', { load: { rps: 100, duration: '1500ms', maxP95: '100ms' } }, target());
    assert.equal(p95.verdict, 'fail', p95.summary);
    assert.match(p95.summary, /p95 \d+(\.\d+)? ms, mean [\d.]+ ms: p95 above 100 ms/);
    const report = p95['report'] as { latencyMs: { p90: number; p95: number } };
    assert.ok(report.latencyMs.p90 < 100, 'p90 alone would have passed');
    assert.ok(most > 2, `without a bound more than 2 are in flight (${most})`);

    most = 0;
    const bounded = await runCheck(
      'bounded',
      { load: { rps: 100, duration: '1s', concurrency: 2, maxP95: '5s' } },
      target(),
    );
    assert.equal(bounded.verdict, 'pass', bounded.summary);
    assert.ok(most <= 2, `at most 2 requests in flight, saw ${most}`);

    const mean = await runCheck(
      'mean',
      { load: { rps: 100, duration: '1s', maxP95: '1s', maxMean: '5ms' } },
      target(),
    );
    assert.equal(mean.verdict, 'fail', mean.summary);
    assert.match(mean.summary, /mean above 5 ms/);

    const fine = await runCheck(
      'fine',
      { load: { rps: 100, duration: '1s', maxP95: '2s', maxMean: '1s' } },
      target(),
    );
    assert.equal(fine.verdict, 'pass', fine.summary);
  });
});
