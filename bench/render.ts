/**
 * bench/render — render, validate, lint and serialise a generated platform of 1,000 services across 20
 * clusters, against `kubectl kustomize` building an equivalent overlay tree (a base of one cluster's
 * objects, one overlay per cluster) in the same run.
 *
 *   ./scripts/install-bench-deps.sh && npm run bench:render
 *
 * BENCH_SERVICES and BENCH_CLUSTERS change the size; BENCH_KUSTOMIZE_OVERLAYS how many overlays kustomize builds. peak_mb is this process's peak RSS after Slipway's
 * part (kustomize runs afterwards, in child processes).
 * Last line: render: objects=N objects_per_s=X peak_mb=Y speed_ratio_vs_kustomize=Z
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { lint } from '../src/policy/lint.js';
import { containersOf } from '../src/render/object-access.js';
import { renderPlatform } from '../src/render/render-platform.js';
import { objectText } from '../src/render/serialize.js';
import { loadSpecText } from '../src/spec/index.js';

const SERVICES = Number(process.env['BENCH_SERVICES'] ?? 1000);
const CLUSTERS = Number(process.env['BENCH_CLUSTERS'] ?? 20);
/**
 * kustomize's build time grows with the square of the base (over a minute per overlay of 6,920 objects on a
 * 2-core machine), so it builds this many of the identical overlays; throughput is per object either way.
 */
const KUSTOMIZE_OVERLAYS = Number(process.env['BENCH_KUSTOMIZE_OVERLAYS'] ?? 2);

/** A platform spec: every service probed, resourced and monitored; some autoscaled, exposed, with SLOs. */
function generateSpec(): string {
  const clusters = Object.fromEntries(
    Array.from({ length: CLUSTERS }, (_, i) => [
      `c${String(i).padStart(2, '0')}`,
      { kubernetes: { context: `ctx-${i}` }, region: `r${i % 5}` },
    ]),
  );
  const services: Record<string, unknown> = {};
  for (let i = 0; i < SERVICES; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const deps =
      i === 0
        ? []
        : [
            `svc-${String((i * 7) % i).padStart(4, '0')}`,
            `svc-${String(Math.floor(i / 2)).padStart(4, '0')}`,
          ];
    services[name] = {
      image: `registry.example.com/team-${i % 40}/${name}`,
      version: `1.${i % 17}.${i % 5}`,
      namespace: `team-${i % 40}`,
      port: 8080,
      replicas: 2 + (i % 3),
      health: { readiness: '/ready', liveness: { path: '/live', period: '10s' } },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      ...(i % 2 === 0 ? { autoscale: { min: 3, max: 10, cpu: 70 } } : {}),
      dependsOn: [...new Set(deps)],
      metrics: { path: '/metrics' },
      config: {
        env: { LOG_LEVEL: 'info', DB_PASSWORD: { secretRef: { name: `${name}-db`, key: 'password' } } },
      },
      ...(i % 10 === 0
        ? {
            slos: [{ name: 'availability', objective: '99.9%', sli: { availability: {} } }],
            expose: {
              type: 'public',
              host: `${name}.example.com`,
              tls: { issuer: 'letsencrypt', issuerKind: 'ClusterIssuer' },
              gateway: { name: 'edge', namespace: 'gateway' },
            },
          }
        : {}),
    };
  }
  return stringify({
    apiVersion: 'slipway.dev/v1',
    kind: 'Platform',
    metadata: { name: 'bench' },
    environments: { production: { clusters } },
    services,
  });
}

function mb(kib: number): number {
  return Math.round(kib / 1024);
}

function slipway(text: string) {
  const start = performance.now();
  const loaded = loadSpecText(text, 'bench.yaml');
  if (!loaded.ok) throw new Error(`generated spec is invalid: ${loaded.errors[0]?.message}`);
  const rendered = renderPlatform(loaded.spec);
  const renderedAt = performance.now();
  const result = lint(
    rendered.objects.map((r) => ({
      object: r.object,
      origin: { file: 'bench.yaml', line: 1, column: 1, scope: `${r.environment}/${r.cluster}` },
    })),
  );
  const lintedAt = performance.now();
  // As `render --out` writes them: one YAML text per object.
  let bytes = 0;
  for (const o of rendered.objects) bytes += objectText(o, 'yaml').length;
  const end = performance.now();
  return {
    objects: rendered.objects.length,
    findings: result.findings.length,
    seconds: (end - start) / 1000,
    phases: {
      renderAndValidate: (renderedAt - start) / 1000,
      lint: (lintedAt - renderedAt) / 1000,
      serialise: (end - lintedAt) / 1000,
    },
    bytes,
    rendered,
  };
}

/** The same objects as a kustomize tree: base = one cluster's objects, an overlay per cluster that annotates and pins image tags. */
function kustomizeTree(dir: string, rendered: ReturnType<typeof renderPlatform>) {
  const first = rendered.objects[0]!.cluster;
  const base = rendered.objects.filter((o) => o.cluster === first);
  mkdirSync(join(dir, 'base'), { recursive: true });
  // One multi-document file per service (and one for the namespaces), as a hand-kept base would be.
  const byFile = new Map<string, string[]>();
  for (const o of base) {
    const file = `${o.origin[0] === 'services' ? String(o.origin[1]) : '_namespaces'}.yaml`;
    byFile.set(file, [...(byFile.get(file) ?? []), objectText(o, 'yaml')]);
  }
  const files = [...byFile.keys()].sort();
  for (const file of files) writeFileSync(join(dir, 'base', file), byFile.get(file)!.join('---\n'));
  writeFileSync(join(dir, 'base', 'kustomization.yaml'), stringify({ resources: files }));
  const clusters = [...new Set(rendered.objects.map((o) => o.cluster))];
  for (const cluster of clusters) {
    mkdirSync(join(dir, 'overlays', cluster), { recursive: true });
    const deployments = base.filter((o) => o.object.kind === 'Deployment').slice(0, 50);
    // Fields every kustomize since kubectl 1.14 knows (Debian 12's kubectl 1.20 embeds kustomize 2.0.3):
    // a per-cluster annotation and per-cluster image tags, as a cluster overlay pins versions.
    const images = deployments.map((d) => {
      const image = String(containersOf(d.object)[0]!.container['image']);
      return { name: image.slice(0, image.lastIndexOf(':')), newTag: `${cluster}-pinned` };
    });
    writeFileSync(
      join(dir, 'overlays', cluster, 'kustomization.yaml'),
      stringify({ resources: ['../../base'], commonAnnotations: { 'slipway.dev/cluster': cluster }, images }),
    );
  }
  return { clusters, perOverlay: base.length };
}

function kustomize(dir: string, clusters: string[]) {
  const start = performance.now();
  let objects = 0;
  for (const cluster of clusters) {
    const run = spawnSync('kubectl', ['kustomize', join(dir, 'overlays', cluster)], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (run.status !== 0) throw new Error(`kubectl kustomize failed: ${run.stderr || run.error?.message}`);
    objects += (run.stdout.match(/^kind: /gm) ?? []).length;
  }
  return { objects, seconds: (performance.now() - start) / 1000 };
}

const text = generateSpec();
console.log(
  `platform: ${SERVICES} services × ${CLUSTERS} clusters (${(text.length / 1e6).toFixed(1)} MB of spec)`,
);
const ours = slipway(text);
const peak = mb(process.resourceUsage().maxRSS);
const rate = ours.objects / ours.seconds;
console.log(
  `slipway: ${ours.objects} objects (rendered, schema-validated, linted: ${ours.findings} findings, serialised: ${(ours.bytes / 1e6).toFixed(0)} MB) in ${ours.seconds.toFixed(2)} s — render+validate ${ours.phases.renderAndValidate.toFixed(2)} s, lint ${ours.phases.lint.toFixed(2)} s, YAML ${ours.phases.serialise.toFixed(2)} s; ${Math.round(rate)} objects/s; peak RSS ${peak} MB`,
);

if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) {
  console.error('kubectl is not installed: run ./scripts/install-bench-deps.sh');
  process.exit(3);
}
const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-render-'));
try {
  const tree = kustomizeTree(dir, ours.rendered);
  const built = tree.clusters.slice(0, Math.max(1, KUSTOMIZE_OVERLAYS));
  const theirs = kustomize(dir, built);
  const theirRate = theirs.objects / theirs.seconds;
  console.log(
    `kubectl kustomize: ${theirs.objects} objects from ${built.length} of the ${tree.clusters.length} identical overlays over a ${tree.perOverlay}-object base in ${theirs.seconds.toFixed(2)} s; ${Math.round(theirRate)} objects/s (no schema validation, no lint; all ${tree.clusters.length} would take ≈ ${Math.round((theirs.seconds * tree.clusters.length) / built.length)} s)`,
  );
  console.log(
    `render: objects=${ours.objects} objects_per_s=${Math.round(rate)} peak_mb=${peak} speed_ratio_vs_kustomize=${(rate / theirRate).toFixed(2)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
