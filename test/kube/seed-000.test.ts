/**
 * Seed 000 end to end (shared/seeds/000_b6eb64b1d5c9b2f6.txt, examples/x0tta6bl4-optimizations): three
 * simulated clusters named as the seed's regions; the prerequisites (cert-manager's CRD, the root-CA
 * ClusterIssuer, the Prometheus stack's Service) put there with the real kubectl and checked by the spec's
 * own kubectl commands; the five components released in priority order 1A → 2B on each cluster, wave by
 * wave, each gated by its validation script and its KPI analysis on a real Prometheus; then the
 * post-release watch on the document's alerts. A release whose route flaps rise during the watch
 * (`increase(batman_route_flaps_total[5m]) > 50`, held for its `for`) rolls all five back on every cluster.
 *
 * What stands in for the outside world, and only that: the validation scripts are local stubs that record
 * their calls; a KPI exporter serves the metrics the components would (healthy values, route flaps on
 * demand); durations are scaled from minutes to seconds (analysis windows, `for`, bake, watch).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { metricsExporter } from '../analysis/metrics-exporter.js';
import { startPrometheus } from '../analysis/prometheus-harness.js';
import { ROOT } from '../local/local-harness.js';
import { startClusters, startKubeRuntime } from './kube-harness.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const ORDER = [
  'batman-adv-optimization',
  'spire-optimization',
  'hnsw-optimization',
  'mtls-optimization',
  'cilium-optimization',
];
const PROM_ENV = 'PROMETHEUS_URL';

/** The example, its minutes made seconds. */
function seedSpec(): string {
  const doc = parse(readFileSync(join(ROOT, 'examples/x0tta6bl4-optimizations/slipway.yaml'), 'utf8')) as Doc;
  doc['environments']['production']['bake'] = '1s';
  for (const template of Object.values(doc['analysis'] as Record<string, Doc>)) {
    template['interval'] = '250ms';
    template['maxDuration'] = '1s';
    for (const m of template['metrics'] ?? []) if (m['for']) m['for'] = '500ms';
  }
  for (const svc of Object.values(doc['services'] as Record<string, Doc>))
    for (const alert of svc['alerts'] ?? []) alert['for'] = '2s';
  doc['release']['postRelease'] = { ...doc['release']['postRelease'], watch: '6s', interval: '250ms' };
  return stringify(doc);
}

/** The components' KPIs per region: healthy, and route flaps (100 more every 250 ms) while flapping. */
function kpiExporter() {
  let flapping = false;
  let flaps = 0;
  let handshakes = 0;
  const exporter = metricsExporter(
    () => {
      const lines = REGIONS.flatMap((cluster) => {
        const c = `cluster="${cluster}"`;
        return [
          `batman_route_flaps_total{${c}} ${cluster === 'eu-west-1' ? flaps : 0}`,
          `spire_token_cache_hit_ratio{${c}} 0.97`,
          `hnsw_replication_lag_seconds{${c},replica="0"} 1.5`,
          `cilium_false_positive_ratio{${c}} 0.04`,
          ...['0.005', '0.01', '0.025', '+Inf'].map(
            (le) => `mtls_handshake_latency_seconds_bucket{${c},le="${le}"} ${handshakes}`,
          ),
        ];
      });
      return `${lines.join('\n')}\n`;
    },
    () => {
      handshakes += 50;
      if (flapping) flaps += 100;
    },
  );
  return { ...exporter, flap: (on: boolean) => (flapping = on) };
}

/** The runbook's validation scripts, as stubs that record who called them where. */
function validationScripts(dir: string) {
  for (const component of [
    'batman-adv',
    'spiffe-spire',
    'hnsw-indexing',
    'mtls-optimization',
    'cilium-ebpf',
  ]) {
    const scripts = join(dir, 'infrastructure-optimizations', component, 'validation-scripts');
    mkdirSync(scripts, { recursive: true });
    const name = {
      'batman-adv': 'batman-adv',
      'spiffe-spire': 'spire',
      'hnsw-indexing': 'hnsw',
      'mtls-optimization': 'mtls',
      'cilium-ebpf': 'cilium',
    }[component];
    const path = join(scripts, `validate-${name}-optimizations.sh`);
    writeFileSync(
      path,
      `#!/bin/sh\necho "validate-${name} ctx=$SLIPWAY_KUBE_CONTEXT" >> "${join(dir, 'calls.log')}"\n`,
    );
    chmodSync(path, 0o755);
  }
}

const PREREQUISITES = `
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: { name: x0tta6bl4-root-ca }
spec: { selfSigned: {} }
---
apiVersion: v1
kind: Namespace
metadata: { name: monitoring }
---
apiVersion: v1
kind: Service
metadata: { name: prometheus-operated, namespace: monitoring }
spec: { ports: [{ name: web, port: 9090 }] }
`;

const kubectl = (kubeconfig: string, ...args: string[]) =>
  new Promise<{ code: number; err: string }>((resolve) =>
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], (error, _out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, err }),
    ),
  );

describe('seed 000 on three simulated clusters', { timeout: 300_000 }, () => {
  it('releases the five optimizations in priority order under their KPI gates, and a route-flap alert during the watch rolls all five back', async () => {
    await using clusters = await startClusters(REGIONS);
    const manifest = join(clusters.dir, 'prerequisites.yaml');
    writeFileSync(manifest, PREREQUISITES);
    for (const context of REGIONS) {
      const applied = await kubectl(
        clusters.kubeconfig,
        '--context',
        context,
        'apply',
        '--server-side',
        '--validate=false',
        '-f',
        manifest,
      );
      assert.equal(applied.code, 0, applied.err);
    }
    validationScripts(clusters.dir);
    const exporter = kpiExporter();
    const prometheus = await startPrometheus([await exporter.start()]);
    process.env[PROM_ENV] = prometheus.url;
    try {
      await using h = await startKubeRuntime(seedSpec(), clusters.kubeconfig, clusters.dir, clusters.dir);
      const c = h.controller;
      const everyImage = () =>
        REGIONS.flatMap((context) => {
          const sim = clusters.sim(context);
          return ORDER.map((service) => {
            const kind = ['batman-adv-optimization', 'cilium-optimization'].includes(service)
              ? 'DaemonSet'
              : service === 'mtls-optimization'
                ? 'Deployment'
                : 'StatefulSet';
            const namespace = `${service.replace('-optimization', '')}-system`;
            const o = sim.store.get(
              sim.served().find((r) => r.kind === kind)!,
              namespace,
              service,
            )?.object as Doc | undefined;
            return `${context}/${service}:${String(o?.['spec']['template']['spec']['containers'][0]['image']).split(':').pop()}`;
          });
        });
      const release = async (version: string) =>
        c.wait(
          (await c.release({ changes: ORDER.map((service) => ({ service, version })) }, 'infra-team')).release
            .id,
        );

      const first = await release('1.0.0');
      assert.equal(first.state.status, 'succeeded', h.lines.join('\n'));
      const update = await release('1.1.0');
      assert.equal(update.state.status, 'succeeded', h.lines.join('\n'));
      assert.ok(
        everyImage().every((i) => i.endsWith(':1.1.0')),
        everyImage().join(' '),
      );

      // Priority order 1A → 2B on each cluster, the primary region first.
      const rollouts = update.plan.steps
        .filter((s) => s.kind === 'ensure-replicas')
        .map((s) => `${s.cluster}/${s.service}`);
      assert.deepEqual(
        rollouts,
        REGIONS.flatMap((r) => ORDER.map((s) => `${r}/${s}`)),
      );
      for (const region of REGIONS)
        assert.equal(
          update.state.steps.get(`preflight/${region}/prerequisite-x0tta6bl4-root-ca`)?.evidence?.verdict,
          'pass',
        );
      const kpis = [...update.state.steps.values()].filter((s) => s.evidence?.['template']);
      assert.equal(kpis.length, 15, 'a KPI analysis per component per region');
      assert.ok(
        kpis.every((s) => s.evidence?.verdict === 'pass'),
        JSON.stringify(kpis.map((s) => s.evidence)),
      );
      assert.match(
        update.state.steps.get('post-release/watch')?.evidence?.summary ?? '',
        /no alert fired during the 6 s watch \(HighRouteFlaps, HighFalsePositives; \d+ evaluations\)/,
      );
      const calls = readFileSync(join(clusters.dir, 'calls.log'), 'utf8');
      assert.match(calls, /validate-batman-adv ctx=eu-west-1/);
      assert.match(calls, /validate-cilium ctx=ap-southeast-1/);

      // 1.2.0 makes routes flap in eu-west-1 once it is out everywhere: the watch rolls all five back.
      const id = (
        await c.release({ changes: ORDER.map((service) => ({ service, version: '1.2.0' })) }, 'infra-team')
      ).release.id;
      for (;;) {
        const view = await c.get(id);
        if (view.state.steps.get('post-release/watch')?.startedAt || view.state.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(
        everyImage().every((i) => i.endsWith(':1.2.0')),
        everyImage().join(' '),
      );
      exporter.flap(true);
      const flapped = await c.wait(id);
      exporter.flap(false);
      assert.equal(flapped.state.status, 'rolled-back', h.lines.join('\n'));
      assert.match(
        flapped.state.failure?.reason ?? '',
        /alert HighRouteFlaps of batman-adv-optimization fired \(held \d+ s, for 2 s\): \{cluster="eu-west-1".*\}/,
      );
      assert.ok(
        everyImage().every((i) => i.endsWith(':1.1.0')),
        everyImage().join(' '),
      );
    } finally {
      delete process.env[PROM_ENV];
      await prometheus.stop();
      await exporter.stop();
    }
  });
});
