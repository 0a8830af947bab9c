/**
 * Slipway's own metrics at /metrics (prom-client), read from the events the controller writes: a release
 * that succeeds and one rolled back show up as outcomes, step durations, verdicts, a rollback and the API
 * requests that made them — in the Prometheus text format a real Prometheus parses (promtool checks it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HttpApi } from '../../src/server/http-api.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : undefined;
};

describe('GET /metrics', { timeout: 120_000 }, () => {
  it('counts releases by outcome, step durations, verdicts, rollbacks and API requests', async () => {
    // No traffic reaches 1000 requests: the canary's analysis is inconclusive and the release rolls back.
    await using h = await startRuntime(BASE_SPEC().replace('minSample: 0', 'minSample: 1000'));
    const api = new HttpApi(h.controller, { metrics: h.runtime.metrics });
    const url = await api.listen(0);
    try {
      const release = async (version: string) => {
        const res = await fetch(`${url}/v1/releases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ request: { changes: [{ service: 'web', version }] } }),
        });
        const { id } = (await res.json()) as { id: string };
        return h.controller.wait(id);
      };
      assert.equal((await release('v1')).state.status, 'succeeded');
      assert.equal((await release('v2')).state.status, 'rolled-back');
      const res = await fetch(`${url}/metrics`);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      assert.equal(value(text, 'slipway_releases_finished_total{outcome="succeeded"}'), 1);
      assert.equal(value(text, 'slipway_releases_finished_total{outcome="rolled-back"}'), 1);
      assert.equal(value(text, 'slipway_rollbacks_total'), 1);
      assert.ok(value(text, 'slipway_step_duration_seconds_count{kind="ensure-replicas"}')! >= 3, text);
      assert.ok(
        value(text, 'slipway_gate_verdicts_total{kind="analysis",verdict="inconclusive"}')! >= 1,
        text,
      );
      assert.equal(
        value(text, 'slipway_api_requests_total{method="POST",route="/v1/releases",status="200"}'),
        2,
      );
      assert.ok(value(text, 'slipway_process_resident_memory_bytes')! > 0);
      // What a real Prometheus would make of it.
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      assert.doesNotMatch(`${check.stdout}${check.stderr}`, /error|parse/i);
      // The Grafana dashboard in examples/ charts only series that exist.
      const dashboard = JSON.parse(readFileSync('examples/demo/slipway-controller.grafana.json', 'utf8')) as {
        panels: { targets: { expr: string }[] }[];
      };
      const names = dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) => t.expr.match(/slipway_[a-z_]+/g) ?? []),
      );
      assert.ok(names.length >= 6);
      for (const name of names) assert.match(text, new RegExp(`^${name}[{ ]`, 'm'), name);
    } finally {
      await api.close();
    }
  });
});
