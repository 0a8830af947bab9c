/**
 * bench/render — a generated platform (BENCH_SERVICES services across BENCH_CLUSTERS clusters) rendered,
 * schema-validated and serialised by Slipway, against its peers as their users run them, in the same run:
 * `kubectl kustomize` building one overlay per cluster over a base of the same objects, and a cdk8s app
 * (cdk8s-plus-32) synthesising the same Deployments, Services, HPAs, PDBs and NetworkPolicies per cluster.
 * The bench fails when a peer made a different number of objects. Lint and netpol report their own rates
 * on the same objects. peak_mb is this process's peak RSS after Slipway's part.
 *
 *   ./scripts/install-bench-deps.sh && npm run bench:render
 *
 * Last line: render: objects=N objects_per_s=X peak_mb=Y speed_ratio_vs_kustomize=A speed_ratio_vs_cdk8s=B
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint } from '../src/policy/lint.js';
import { analyze } from '../src/policy/netpol/analyze.js';
import { renderPlatform, type RenderedObject } from '../src/render/render-platform.js';
import { objectText } from '../src/render/serialize.js';
import { loadSpecText } from '../src/spec/index.js';
import { benchPlatform, countKinds, WORKLOAD_KINDS } from './lib/bench-platform.js';
import { synthCluster } from './lib/cdk8s-peer.js';
import { buildOverlays, kubectlVersion, writeKustomizeTree } from './lib/kustomize-peer.js';

const SERVICES = Number(process.env['BENCH_SERVICES'] ?? 300);
const CLUSTERS = Number(process.env['BENCH_CLUSTERS'] ?? 10);

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

/** What `slipway render --out` does: load and validate the spec, render, validate, write YAML texts. */
function slipwayRender(text: string) {
  const start = performance.now();
  const loaded = loadSpecText(text, 'bench.yaml');
  if (!loaded.ok) throw new Error(`generated spec is invalid: ${loaded.errors[0]?.message}`);
  const rendered = renderPlatform(loaded.spec);
  const kinds = new Map<string, number>();
  let bytes = 0;
  for (const o of rendered.objects) {
    const yaml = objectText(o, 'yaml');
    bytes += yaml.length;
    countKinds(yaml, kinds);
  }
  return { objects: rendered.objects, kinds, bytes, seconds: seconds(start) };
}

function lintRate(objects: RenderedObject[]) {
  const start = performance.now();
  const result = lint(
    objects.map((r) => ({
      object: r.object,
      origin: { file: 'bench.yaml', line: 1, column: 1, scope: `${r.environment}/${r.cluster}` },
    })),
  );
  return { findings: result.findings.length, perSecond: objects.length / seconds(start) };
}

/** `slipway netpol` reads one cluster at a time: each cluster's objects analysed alone. */
function netpolRate(objects: RenderedObject[], clusters: string[]) {
  const start = performance.now();
  let undeclared = 0;
  for (const cluster of clusters) {
    undeclared += analyze(objects.filter((o) => o.cluster === cluster).map((o) => o.object)).undeclared
      .length;
  }
  return { undeclared, perSecond: objects.length / seconds(start) };
}

function cdk8s(platform: ReturnType<typeof benchPlatform>) {
  const start = performance.now();
  const kinds = new Map<string, number>();
  for (const cluster of platform.clusters) countKinds(synthCluster(cluster, platform.services), kinds);
  return { kinds, seconds: seconds(start) };
}

function total(kinds: Map<string, number>, only?: readonly string[]): number {
  let n = 0;
  for (const [kind, count] of kinds) if (!only || only.includes(kind)) n += count;
  return n;
}

/** The peers must have made the same platform, or their rates compare nothing. */
function sameCount(peer: string, theirs: number, ours: number): void {
  if (theirs === ours) return;
  console.error(`${peer} made ${theirs} objects where Slipway made ${ours}: the comparison is void`);
  process.exit(1);
}

const version = kubectlVersion();
if (!version) {
  console.error('kubectl is not installed: run ./scripts/install-bench-deps.sh');
  process.exit(3);
}
const platform = benchPlatform(SERVICES, CLUSTERS);
console.log(
  `platform: ${SERVICES} services × ${CLUSTERS} clusters (${(platform.text.length / 1e6).toFixed(1)} MB of spec)`,
);
const ours = slipwayRender(platform.text);
const peak = Math.round(process.resourceUsage().maxRSS / 1024);
const rate = ours.objects.length / ours.seconds;
console.log(
  `slipway: ${ours.objects.length} objects loaded, rendered, schema-validated and serialised (${(ours.bytes / 1e6).toFixed(0)} MB of YAML) in ${ours.seconds.toFixed(2)} s; ${Math.round(rate)} objects/s; peak RSS ${peak} MB`,
);
const linted = lintRate(ours.objects);
console.log(`slipway lint: ${Math.round(linted.perSecond)} objects/s (${linted.findings} findings)`);
const netpol = netpolRate(ours.objects, platform.clusters);
console.log(
  `slipway netpol: ${Math.round(netpol.perSecond)} objects/s (${netpol.undeclared} undeclared paths)`,
);

const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-render-'));
try {
  writeKustomizeTree(
    dir,
    ours.objects.filter((o) => o.cluster === platform.clusters[0]),
    platform.clusters,
  );
  const kustomized = buildOverlays(dir, platform.clusters);
  sameCount('kubectl kustomize', total(kustomized.kinds), ours.objects.length);
  const kustomizeRate = total(kustomized.kinds) / kustomized.seconds;
  console.log(
    `kubectl kustomize (kustomize ${version}): ${total(kustomized.kinds)} objects from ${platform.clusters.length} overlays in ${kustomized.seconds.toFixed(2)} s; ${Math.round(kustomizeRate)} objects/s (no schema validation)`,
  );
  const synthesised = cdk8s(platform);
  const workloads = total(ours.kinds, WORKLOAD_KINDS);
  sameCount('cdk8s', total(synthesised.kinds, WORKLOAD_KINDS), workloads);
  const cdk8sRate = workloads / synthesised.seconds;
  // Slipway's rate on the same five kinds is its rate over everything it renders: its time covers more.
  console.log(
    `cdk8s synth (cdk8s-plus-32): ${workloads} objects (${WORKLOAD_KINDS.join(', ')}) from ${platform.clusters.length} apps in ${synthesised.seconds.toFixed(2)} s; ${Math.round(cdk8sRate)} objects/s`,
  );
  console.log(
    `render: objects=${ours.objects.length} objects_per_s=${Math.round(rate)} peak_mb=${peak} speed_ratio_vs_kustomize=${(rate / kustomizeRate).toFixed(2)} speed_ratio_vs_cdk8s=${(rate / cdk8sRate).toFixed(2)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
