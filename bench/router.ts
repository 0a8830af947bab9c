/**
 * bench/router — throughput and latency through Slipway's router (in the local data plane process, as
 * `slipway serve` runs it), directly to a replica, and through nginx (one worker, keep-alive upstreams)
 * over the same four replicas, all in one run; then failed requests
 * while all four replicas are replaced under ≥ 1 000 requests/s.
 *
 *   ./scripts/install-bench-deps.sh && npm run bench:router
 *
 * Then `slipway serve` is killed with SIGKILL and started again under the same load (its local cluster
 * runs in the data plane process, which keeps serving).
 *
 * Last line: router: failed_during_replace=N failed_during_controller_restart=M rps_ratio_vs_nginx=X
 * p99_ratio_vs_nginx=Y (Slipway ÷ nginx: the median over rounds in which the paths take turns).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LoadReport } from '../src/loadgen/load-generator.js';
import { attachDataPlane, stopDataPlane } from '../src/targets/local/dataplane/attach.js';
import { RemoteLocalTarget } from '../src/targets/local/dataplane/remote-local-target.js';
import { DEFAULT_READINESS } from '../src/targets/local/probe.js';
import { NGINX, startNginx } from './lib/nginx.js';
import { release, serve } from './lib/serve-child.js';
import { type WrkResult, wrk } from './lib/wrk.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const REPLACE_RPS = Number(process.env['BENCH_REPLACE_RPS'] ?? 1500);
const REPLICAS = 4;

// The peers it measures against come from Debian's packages; say so instead of failing half way.
const missing = [
  existsSync(NGINX) ? undefined : 'nginx',
  spawnSync('wrk', ['--version']).error ? 'wrk' : undefined,
].filter((m) => m !== undefined);
if (missing.length > 0) {
  console.error(`${missing.join(' and ')} not installed: run ./scripts/install-bench-deps.sh`);
  process.exit(3);
}

const cluster = 'bench';
const ref = { service: 'web', cluster };
const stateDir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
/** The router as `slipway serve` runs it: in the local data plane process, driven over its channel. */
const dataPlane = await attachDataPlane({
  stateDir,
  clusters: [
    {
      cluster,
      services: [
        {
          name: 'web',
          command: 'node examples/demo/service.js',
          cwd: ROOT,
          // Constant tiny work per request, so the proxies' own cost is what differs.
          env: { DEMO_LATENCY_MS: '0', DEMO_LATENCY_SIGMA: '0' },
          // v2 starts slowly, so the replacement lasts seconds of real traffic, not a blink.
          versionEnv: { v2: { DEMO_SLOW_START_MS: '800' } },
          readiness: { ...DEFAULT_READINESS, path: '/health/ready', periodMs: 200 },
          gracePeriodMs: 10_000,
        },
      ],
    },
  ],
});
const target = new RemoteLocalTarget(cluster, dataPlane);

/** The load generator in a process of its own, open loop at `rps`; stop() returns its report. */
function startLoad(url: string, rps: number) {
  const load = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/lib/load-child.ts', url, String(rps), '300'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  load.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return {
    stop: async (): Promise<LoadReport> => {
      load.kill('SIGTERM');
      await new Promise((r) => load.once('exit', r));
      return JSON.parse(out.trim()) as LoadReport;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `slipway serve` (its local cluster in the data plane process) killed with SIGKILL and started again
 * under open-loop load through the router: the requests that failed meanwhile.
 */
async function controllerRestart(): Promise<{ report: LoadReport; downMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-restart-'));
  const spec = join(dir, 'slipway.yaml');
  writeFileSync(
    spec,
    `apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: bench }
environments:
  staging:
    clusters: { stg: { local: {} } }
services:
  web:
    image: registry.example.com/web
    local: { command: node examples/demo/service.js, env: { DEMO_LATENCY_MS: "0", DEMO_LATENCY_SIGMA: "0" } }
    port: 8080
    replicas: ${REPLICAS}
    health: { readiness: { path: /health/ready, period: 200ms } }
`,
  );
  const state = join(dir, 'state');
  let controller = await serve(spec, state);
  try {
    const status = await release(controller.api, 'web', 'v1');
    if (status !== 'succeeded') throw new Error(`the first release ${status}`);
    const load = startLoad(`${controller.routers.get('stg/web')}/`, REPLACE_RPS);
    await sleep(2000);
    const killedAt = Date.now();
    controller.child.kill('SIGKILL');
    await controller.exited;
    controller = await serve(spec, state);
    const downMs = Date.now() - killedAt;
    await sleep(2000);
    return { report: await load.stop(), downMs };
  } finally {
    controller.child.kill('SIGTERM');
    await controller.exited;
  }
}

const row = (name: string, r: WrkResult) =>
  `${name.padEnd(10)} ${r.rps.toFixed(0).padStart(9)} ${r.p50Ms.toFixed(2).padStart(8)} ${r.p99Ms.toFixed(2).padStart(8)} ${String(r.non2xx + r.socketErrors).padStart(7)}`;

async function main(): Promise<void> {
  const stable = await target.ensureReplicas(ref, { group: 'stable', version: 'v1', replicas: REPLICAS });
  const ports = stable.replicas.map((r) => r.port!);
  const nginx = await startNginx(ports);
  const routerUrl = `${target.endpoint('web')}/`;
  const directUrl = `http://127.0.0.1:${ports[0]}/`;
  try {
    // Warm up every path (JIT, connection pools) before measuring.
    for (const url of [directUrl, routerUrl, nginx.url]) await wrk(url, 2);
    // The paths take turns, round after round, so a slow moment of this shared machine falls on one
    // round of each rather than on one path; each ratio compares measurements seconds apart.
    const rounds: { direct: WrkResult; router: WrkResult; nginx: WrkResult }[] = [];
    for (let i = 0; i < ROUNDS; i++)
      rounds.push({
        direct: await wrk(directUrl, SECONDS),
        router: await wrk(routerUrl, SECONDS),
        nginx: await wrk(nginx.url, SECONDS),
      });
    console.log(
      `throughput and latency, wrk -t1 -c32, ${ROUNDS} rounds of ${SECONDS}s a path, ${REPLICAS} demo replicas`,
    );
    console.log(
      `${'path'.padEnd(10)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(7)}`,
    );
    rounds.forEach((r, i) => {
      console.log(`round ${i + 1}`);
      console.log(row('direct', r.direct));
      console.log(row('router', r.router));
      console.log(row('nginx', r.nginx));
    });
    const rpsRatio = median(rounds.map((r) => r.router.rps / r.nginx.rps));
    const p99Ratio = median(rounds.map((r) => r.router.p99Ms / r.nginx.p99Ms));
    await nginx.stop();

    // Full replacement of every replica under open-loop load from a separate process.
    const load = startLoad(routerUrl, REPLACE_RPS);
    await sleep(2000);
    const replaceStarted = Date.now();
    await target.ensureReplicas(ref, {
      group: 'stable',
      version: 'v2',
      replicas: REPLICAS,
      maxSurge: 1,
      maxUnavailable: 0,
      deadlineMs: 300_000,
    });
    const replaceSeconds = (Date.now() - replaceStarted) / 1000;
    await sleep(1000);
    const report = await load.stop();
    const routerErrors =
      ((await target.trafficOf('web', 'v1'))?.errors ?? 0) +
      ((await target.trafficOf('web', 'v2'))?.errors ?? 0);
    console.log(
      `replacement of ${REPLICAS} replicas (v1 → v2, maxSurge 1, maxUnavailable 0) in ${replaceSeconds.toFixed(1)}s under ${report.rps.toFixed(0)} req/s: ` +
        `${report.requests} requests, ${report.failed} failed (router counted ${routerErrors} errors), served by ${JSON.stringify(report.byVersion)}`,
    );
    if (report.rps < 1000)
      console.log(
        `warning: the load reached only ${report.rps.toFixed(0)} req/s, below the 1 000 the bench asks for`,
      );
    await nginx.stop();
    await stopDataPlane(dataPlane);
    const restart = await controllerRestart();
    console.log(
      `controller killed (SIGKILL) and started again under ${restart.report.rps.toFixed(0)} req/s, ${(restart.downMs / 1000).toFixed(1)} s without a controller: ` +
        `${restart.report.requests} requests, ${restart.report.failed} failed`,
    );
    console.log(
      `router: failed_during_replace=${report.failed} failed_during_controller_restart=${restart.report.failed} rps_ratio_vs_nginx=${rpsRatio.toFixed(2)} p99_ratio_vs_nginx=${p99Ratio.toFixed(2)}`,
    );
  } finally {
    await nginx.stop();
    await stopDataPlane(dataPlane);
  }
}

await main();
