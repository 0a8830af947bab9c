/** Analysis against a real Prometheus scraping the router: fail a bad canary, pass a good one, never pass blind. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAnalysis } from '../../src/analysis/analysis-loop.js';
import { BuiltinMetrics } from '../../src/providers/builtin.js';
import { PrometheusProvider } from '../../src/providers/prometheus.js';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { demoService, eventually, sleep, startTarget } from '../local/local-harness.js';
import { startPrometheus } from './prometheus-harness.js';

const ERROR_RATIO =
  '(sum(rate(http_requests_total{service="{{service}}",version="{{version}}",status=~"5.."}[{{window}}])) or vector(0)) / sum(rate(http_requests_total{service="{{service}}",version="{{version}}"}[{{window}}]))';

const template = (extra: Record<string, unknown> = {}) => ({
  provider: { prometheus: { url: 'set-below' } },
  interval: '1s',
  inconclusiveLimit: 30,
  metrics: [{ name: 'error-ratio', query: ERROR_RATIO, max: 0.05 }],
  ...extra,
});

describe('analysis with a real Prometheus', { timeout: 300_000 }, () => {
  it('fails a canary with injected errors, passes a healthy one, and is inconclusive when Prometheus stops', async () => {
    await using h = await startTarget(
      [demoService({ versionEnv: { bad: { DEMO_ERROR_RATE: '0.3' } } })],
      'prom',
    );
    await h.target.ensureReplicas(h.ref, { group: 'stable', version: 'v1', replicas: 2 });
    await h.target.ensureReplicas(h.ref, { group: 'canary', version: 'bad', replicas: 1 });
    await h.target.ensureWeights(h.ref, { stable: 50, canary: 50 });
    const prometheus = await startPrometheus([h.target.adminUrl.replace('http://', '')]);
    const load = new LoadGenerator({
      url: `${h.target.endpoint('web')}/`,
      rps: 100,
      durationMs: 240_000,
    }).start();
    try {
      const provider = new PrometheusProvider({ url: prometheus.url, timeoutMs: 2000, retries: 1 });
      // What the provider tells apart.
      await eventually(async () => (await provider.query('up')).kind === 'value', 30_000, 'the first scrape');
      assert.deepEqual(await provider.query('up'), { kind: 'value', value: 1 });
      assert.equal((await provider.query('slipway_no_such_metric')).kind, 'no-data');
      assert.equal((await provider.query('vector(0) / vector(0)')).kind, 'nan');
      const bad = await provider.query('sum(rate(');
      assert.equal(bad.kind, 'error');
      const traffic = new BuiltinMetrics(new Map([['prom', h.target]]));
      const base = {
        template: 'errors',
        cluster: 'prom',
        service: 'web',
        namespace: 'default',
        traffic,
        provider,
      };

      const failing = await runAnalysis({
        ...base,
        version: 'bad',
        baselineVersion: 'v1',
        durationMs: 60_000,
        definition: template() as never,
      });
      assert.equal(failing.verdict, 'fail', failing.summary);
      assert.match(failing.summary, /error-ratio 0\.\d+ > 0\.05/);

      const now = Date.now() / 1000;
      const range = await provider.queryRange('up', now - 5, now, 1);
      assert.equal(range.kind, 'series');
      assert.ok(
        range.kind === 'series' && range.points.length >= 1 && range.points.every(([, v]) => v === 1),
        JSON.stringify(range),
      );
      assert.equal((await provider.queryRange('slipway_no_such_metric', now - 5, now, 1)).kind, 'no-data');

      // `for`: a breach counts only once it has lasted the whole range in Prometheus.
      const held = await runAnalysis({
        ...base,
        version: 'bad',
        durationMs: 60_000,
        definition: template({
          metrics: [{ name: 'error-ratio', query: ERROR_RATIO, max: 0.05, for: '4s' }],
        }) as never,
      });
      assert.equal(held.verdict, 'fail', held.summary);
      // Prometheus has held the breach for longer than 4s already: it fails at once. A `for` longer than
      // the history does not count yet.
      const young = await runAnalysis({
        ...base,
        version: 'bad',
        durationMs: 2500,
        definition: template({
          metrics: [{ name: 'error-ratio', query: ERROR_RATIO, max: 0.05, for: '10m' }],
        }) as never,
      });
      assert.equal(young.verdict, 'pass', young.summary);
      assert.match(young.summary, /not yet for 10m/);
      const healthy = await runAnalysis({
        ...base,
        version: 'v1',
        durationMs: 12_000,
        definition: template() as never,
      });
      assert.equal(healthy.verdict, 'pass', healthy.summary);

      const blind = runAnalysis({
        ...base,
        version: 'v1',
        durationMs: 60_000,
        definition: template({ inconclusiveLimit: 1 }) as never,
      });
      await sleep(2500);
      await prometheus.stop();
      const verdict = await blind;
      assert.equal(verdict.verdict, 'inconclusive', JSON.stringify(verdict));
      assert.match(verdict.summary, /unreachable/);

      // A query that never returns data is inconclusive at the end, never a pass.
      const empty = await runAnalysis({
        ...base,
        provider: new PrometheusProvider({ url: prometheus.url }),
        version: 'v1',
        durationMs: 1500,
        definition: template({
          metrics: [{ name: 'ghost', query: 'slipway_no_such_metric', max: 1 }],
        }) as never,
      });
      assert.equal(empty.verdict, 'inconclusive');
    } finally {
      await load.stop();
      await prometheus.stop();
    }
  });

  it('a release whose Prometheus is unreachable is rolled back (onInconclusive: rollback), never passed', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const spec = BASE_SPEC().replace(
      /analysis:\n {2}quick:\n {4}provider: builtin\n/,
      `analysis:\n  quick:\n    provider: { prometheus: { url: "${dead}", timeout: 500ms } }\n    metrics: [{ name: error-ratio, query: "sum(rate(http_requests_total[1m]))", max: 1 }]\n`,
    );
    await using h = await startRuntime(spec);
    await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'lee')).release.id,
    );
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'lee')).release.id,
    );
    assert.equal(view.state.status, 'rolled-back');
    assert.match(view.state.failure?.reason ?? '', /unreachable/);
  });
});
