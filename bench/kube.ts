/**
 * bench/kube — Slipway's own cost of driving clusters: a rolling release of 10 services over 100 simulated
 * clusters in waves of 10 (the simulators run in a child process, with pods ready the moment they are
 * created, so the wall time is Slipway's overhead, not simulated waiting); API requests per step and this
 * process's peak RSS; then planning a release of 1,000 services over 100 clusters. The baseline, measured in
 * the same run: what the runbook does per service by hand — `kubectl apply --server-side` of the same
 * objects plus `kubectl rollout status` — against the same simulator.
 *
 *   npm run bench:kube
 *
 * BENCH_CLUSTERS, BENCH_SERVICES and BENCH_PLAN_SERVICES change the sizes.
 * Last line: kube: overhead_ms_per_step=X api_requests_per_step=Y peak_mb=Z plan_100x1000_s=W
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { stringify } from 'yaml';
import { planRelease } from '../src/plan/plan-release.js';
import { PlatformRuntime } from '../src/server/platform-runtime.js';
import { loadSpecText } from '../src/spec/index.js';
import { desiredObjects } from '../src/targets/kubernetes/desired-objects.js';
import { KubernetesTarget } from '../src/targets/kubernetes/kubernetes-target.js';

const CLUSTERS = Number(process.env['BENCH_CLUSTERS'] ?? 100);
const SERVICES = Number(process.env['BENCH_SERVICES'] ?? 10);
const PLAN_SERVICES = Number(process.env['BENCH_PLAN_SERVICES'] ?? 1000);
const WAVE = 10;

const name = (i: number) => `c${String(i).padStart(3, '0')}`;

function spec(clusters: number, services: number): string {
  const names = Array.from({ length: clusters }, (_, i) => name(i));
  const waves: string[][] = [];
  for (let i = 0; i < names.length; i += WAVE) waves.push(names.slice(i, i + WAVE));
  return stringify({
    apiVersion: 'slipway.dev/v1',
    kind: 'Platform',
    metadata: { name: 'bench-kube' },
    environments: {
      production: {
        namespace: 'bench',
        clusters: Object.fromEntries(names.map((n) => [n, { kubernetes: { context: n } }])),
        waves,
      },
    },
    services: Object.fromEntries(
      Array.from({ length: services }, (_, i) => [
        `svc-${String(i).padStart(4, '0')}`,
        {
          image: `registry.example.com/bench/svc-${i}`,
          version: 'v1',
          port: 8080,
          replicas: 2,
          health: { readiness: '/ready' },
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
          release: { strategy: 'rolling', maxSurge: 1, maxUnavailable: 0 },
        },
      ]),
    ),
  });
}

function load(text: string) {
  const r = loadSpecText(text, 'bench.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.spec;
}

/** Starts the simulators in a child process and waits for its kubeconfig. */
async function startSimulators(kubeconfig: string, contexts: string[]) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/kube-sim/serve.ts',
      '--kubeconfig',
      kubeconfig,
      '--ready-delay',
      '0',
      ...contexts,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('kubeconfig:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the simulators exited with ${code}`)));
  });
  return child;
}

let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));

async function releaseBench(dir: string, kubeconfig: string) {
  const text = spec(CLUSTERS, SERVICES);
  const runtime = new PlatformRuntime({
    spec: load(text),
    root: process.cwd(),
    stateDir: join(dir, 'state'),
    kubeconfig,
    pollMs: 20,
    kubePollMs: 20,
  });
  await runtime.start();
  const sampler = setInterval(sample, 100);
  try {
    const changes = (version: string) =>
      Array.from({ length: SERVICES }, (_, i) => ({ service: `svc-${String(i).padStart(4, '0')}`, version }));
    const first = await runtime.controller.wait(
      (await runtime.controller.release({ changes: changes('v1') }, 'bench')).release.id,
    );
    if (first.state.status !== 'succeeded') throw new Error(`first release: ${first.state.failure?.reason}`);
    const requestsBefore = requestsOf(runtime);
    const t0 = performance.now();
    const view = await runtime.controller.wait(
      (await runtime.controller.release({ changes: changes('v2') }, 'bench')).release.id,
    );
    const ms = performance.now() - t0;
    if (view.state.status !== 'succeeded') throw new Error(`release: ${view.state.failure?.reason}`);
    const steps = view.plan.steps.length;
    return { ms, steps, requests: requestsOf(runtime) - requestsBefore };
  } finally {
    clearInterval(sampler);
    sample();
    await runtime.close();
  }
}

const requestsOf = (runtime: PlatformRuntime) =>
  [...runtime.targets.values()].reduce(
    (n, t) => n + (t instanceof KubernetesTarget ? t.client.requests : 0),
    0,
  );

/** The runbook by hand: per service, kubectl apply --server-side of its objects, then rollout status. */
function kubectlBaseline(dir: string, kubeconfig: string, services: number) {
  const s = load(spec(1, services));
  let ms = 0;
  for (let i = 0; i < services; i++) {
    const service = `svc-${String(i).padStart(4, '0')}`;
    const file = join(dir, `${service}.yaml`);
    writeFileSync(
      file,
      desiredObjects(s, name(0), service, 'v2')
        .map((o) => `---\n${dump(o)}`)
        .join(''),
    );
    const t0 = performance.now();
    const kubectl = (...args: string[]) => {
      const r = spawnSync('kubectl', ['--kubeconfig', kubeconfig, '--context', 'baseline', ...args], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
    };
    kubectl('apply', '--server-side', '--validate=false', '-f', file);
    kubectl('-n', 'bench', 'rollout', 'status', `deployment/${service}`, '--timeout=30s');
    ms += performance.now() - t0;
  }
  return ms / services;
}

function planBench() {
  const s = load(spec(CLUSTERS, PLAN_SERVICES));
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const plan = planRelease(
    s,
    { changes: Object.keys(s.services).map((service) => ({ service, version: 'v2' })) },
    () => 'v1',
  );
  const seconds = (performance.now() - t0) / 1000;
  sample();
  return { seconds, steps: plan.steps.length, mb: (process.memoryUsage().rss - before) / 2 ** 20 };
}

const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-kube-'));
const kubeconfig = join(dir, 'kubeconfig');
const contexts = [...Array.from({ length: CLUSTERS }, (_, i) => name(i)), 'baseline'];
const sims = await startSimulators(kubeconfig, contexts);
try {
  const release = await releaseBench(dir, kubeconfig);
  const perStep = release.ms / release.steps;
  // A Slipway step of an ensure is apply + rollout, like one service by hand; most steps are cheaper.
  const ensures = CLUSTERS * SERVICES;
  const perService = release.ms / ensures;
  const baseline = kubectlBaseline(dir, kubeconfig, Math.min(SERVICES, 5));
  const plan = planBench();
  console.log(
    `release: ${SERVICES} services × ${CLUSTERS} clusters in waves of ${WAVE}: ${release.steps} steps in ${(release.ms / 1000).toFixed(1)} s, ${release.requests} API requests`,
  );
  console.log(
    `by hand: kubectl apply --server-side + rollout status per service ${baseline.toFixed(0)} ms; Slipway per service and cluster ${perService.toFixed(1)} ms (all its steps) — ratio ${(perService / baseline).toFixed(3)}`,
  );
  console.log(
    `plan: ${PLAN_SERVICES} services × ${CLUSTERS} clusters → ${plan.steps} steps in ${plan.seconds.toFixed(2)} s, +${plan.mb.toFixed(0)} MB`,
  );
  console.log(`kube: overhead_vs_kubectl=${(perService / baseline).toFixed(3)}`);
  console.log(
    `kube: overhead_ms_per_step=${perStep.toFixed(1)} api_requests_per_step=${(release.requests / release.steps).toFixed(2)} peak_mb=${Math.round(peak / 2 ** 20)} plan_100x1000_s=${plan.seconds.toFixed(2)}`,
  );
} finally {
  sims.kill('SIGTERM');
}
