/**
 * The rendered PrometheusRules checked by Prometheus's own promtool (Debian `prometheus`): every example's
 * rules parse, and the medical platform's burn-rate alerts fire on a 5 % error rate, stay quiet on a
 * healthy service, and SLOMetricAbsent fires when the SLI has no data.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dump } from 'js-yaml';
import { renderExample } from './render-helpers.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function promtool(...args: string[]) {
  const run = spawnSync('promtool', args, { encoding: 'utf8', timeout: 120_000 });
  if (run.error) throw new Error(`promtool: ${run.error.message} (run ./scripts/install-test-deps.sh)`);
  return run;
}

const dir = mkdtempSync(join(tmpdir(), 'slipway-promtool-'));

describe('rendered PrometheusRules under promtool', () => {
  it('every example’s rules pass promtool check rules', () => {
    let files = 0;
    for (const example of ['demo', 'medical-platform', 'normaldance', 'x0tta6bl4-optimizations']) {
      for (const rendered of renderExample(example).filter((r) => r.object.kind === 'PrometheusRule')) {
        const file = join(dir, `${example}-${rendered.cluster}-${rendered.object.metadata.name}.yaml`);
        writeFileSync(file, dump({ groups: (rendered.object as Json)['spec'].groups }));
        const run = promtool('check', 'rules', file);
        assert.equal(run.status, 0, `${file}\n${run.stdout}${run.stderr}`);
        files++;
      }
    }
    assert.ok(files >= 10, `${files} rule files checked`);
  });

  it('burn-rate alerts fire on 5 % errors, not on a healthy service; SLOMetricAbsent fires without data', () => {
    const rule = renderExample('medical-platform', ['production']).find(
      (r) => r.object.kind === 'PrometheusRule' && r.object.metadata.name === 'api-gateway',
    )!.object as Json;
    const rules = join(dir, 'api-gateway.yaml');
    writeFileSync(rules, dump({ groups: rule['spec'].groups }));
    const alert = (name: string) =>
      rule['spec'].groups
        .flatMap((g: Json) => g.rules)
        .find((r: Json) => r.alert === name && r.labels.slo === 'availability');
    const expected = (name: string) => ({
      exp_labels: alert(name).labels,
      exp_annotations: alert(name).annotations,
    });
    const requests = (code: string, perMinute: number) => ({
      series: `http_requests_total{job="api-gateway",namespace="medical-platform",code="${code}"}`,
      values: `0+${perMinute}x180`,
    });
    const latencyAbsent = rule['spec'].groups
      .flatMap((g: Json) => g.rules)
      .find((r: Json) => r.alert === 'SLOMetricAbsent' && r.labels.slo === 'latency');
    const tests = {
      rule_files: [rules],
      evaluation_interval: '1m',
      tests: [
        {
          name: '5 % errors against a 99.9 % objective (burn rate 50)',
          interval: '1m',
          input_series: [requests('200', 950), requests('500', 50)],
          alert_rule_test: [
            {
              eval_time: '30m',
              alertname: 'SLOErrorBudgetBurnFast',
              exp_alerts: [expected('SLOErrorBudgetBurnFast')],
            },
            {
              eval_time: '30m',
              alertname: 'SLOErrorBudgetBurnSlow',
              exp_alerts: [expected('SLOErrorBudgetBurnSlow')],
            },
          ],
        },
        {
          name: 'a healthy service: 0.05 % errors (burn rate 0.5)',
          interval: '1m',
          input_series: [requests('200', 19990), requests('500', 10)],
          alert_rule_test: [
            { eval_time: '2h', alertname: 'SLOErrorBudgetBurnFast', exp_alerts: [] },
            { eval_time: '2h', alertname: 'SLOErrorBudgetBurnSlow', exp_alerts: [] },
          ],
        },
        {
          name: 'no SLI data at all',
          interval: '1m',
          input_series: [{ series: 'up{job="other"}', values: '1x60' }],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'SLOMetricAbsent', exp_alerts: [] },
            {
              eval_time: '20m',
              alertname: 'SLOMetricAbsent',
              exp_alerts: [
                expected('SLOMetricAbsent'),
                { exp_labels: latencyAbsent.labels, exp_annotations: latencyAbsent.annotations },
              ],
            },
          ],
        },
      ],
    };
    const file = join(dir, 'api-gateway.test.yaml');
    writeFileSync(file, dump(tests));
    const run = promtool('test', 'rules', file);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /SUCCESS/);
  });
});
