/**
 * @module `slipway demo`: a controller on examples/demo with two local clusters in production, steady
 * loopback traffic, a healthy release (v2) and a faulty one (v3, 5 % errors) caught and rolled back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ReleaseView } from '../engine/controller.js';
import { EventType } from '../engine/events.js';
import { SlipwayError } from '../errors/index.js';
import { LoadGenerator, type LoadReport } from '../loadgen/load-generator.js';
import { TokenStore } from '../server/api-tokens.js';
import { HttpApi } from '../server/http-api.js';
import { PlatformRuntime } from '../server/platform-runtime.js';
import { requireSpec } from '../spec/index.js';

export interface DemoRelease {
  version: string;
  outcome: 'succeeded' | 'rolled-back' | 'failed';
  failedRequests: number;
  requests: number;
  /** Seconds from the release's first bad request to the rollback decision (null when none). */
  decisionSeconds: number | null;
  seconds: number;
  reason?: string;
}

export interface DemoResult {
  platform: string;
  /** The web dashboard of the demo's controller, and the admin token that signs in to it. */
  dashboard: { url: string; token: string };
  rpsPerCluster: number;
  requestsServed: number;
  failedRequests: number;
  releases: DemoRelease[];
  finalVersions: Record<string, string>;
  seconds: number;
}

export interface DemoOptions {
  root: string;
  rpsPerCluster?: number;
  log?: (line: string) => void;
  /** Called with the result while the controller and its dashboard still run (e.g. to wait for Ctrl-C). */
  beforeClose?: (result: DemoResult) => Promise<void>;
}

const PACKAGE_ROOT = resolve(import.meta.dirname, '../..');

export async function runDemo(options: DemoOptions = { root: PACKAGE_ROOT }): Promise<DemoResult> {
  const started = Date.now();
  const root = options.root;
  const { spec } = requireSpec(join(root, 'examples/demo/slipway.yaml'));
  const stateDir = mkdtempSync(join(tmpdir(), 'slipway-demo-'));
  const log = options.log ?? (() => undefined);
  const runtime = new PlatformRuntime({ spec, root, stateDir, log, pollMs: 100 });
  const rps = options.rpsPerCluster ?? 250;
  const generators: LoadGenerator[] = [];
  const tokens = new TokenStore(stateDir);
  const api = new HttpApi(runtime.controller, { tokens, metrics: runtime.metrics });
  try {
    await runtime.start();
    const dashboard = { url: `${await api.listen(0)}/`, token: tokens.create('demo', 'admin').token };
    log(`dashboard: ${dashboard.url} (sign in with the token ${dashboard.token})`);
    const c = runtime.controller;
    const release = async (version: string): Promise<ReleaseView> => {
      const view = await c.release({ changes: [{ service: 'web', version }] }, 'demo');
      log(`release ${view.release.id}: web@${version}`);
      return c.wait(view.release.id);
    };
    log('deploying web@v1 everywhere (first deployment)');
    const first = await release('v1');
    if (first.state.status !== 'succeeded')
      throw new SlipwayError(
        'DEMO_FAILED',
        `the first deployment ended ${first.state.status}: ${first.state.failure?.reason ?? ''}`,
      );

    generators.push(...startTraffic(runtime, rps, log));
    const totals = () => trafficTotals(generators);
    await new Promise((r) => setTimeout(r, 1500));

    const releases: DemoRelease[] = [];
    for (const version of ['v2', 'v3']) {
      const before = totals();
      const t0 = Date.now();
      const view = await release(version);
      releases.push(await outcomeOf(runtime, view, version, { before, after: totals(), t0 }));
    }
    const reports: LoadReport[] = [];
    for (const g of generators) reports.push(await g.stop());
    generators.length = 0;
    const finalVersions: Record<string, string> = {};
    for (const d of await runtime.controller.services())
      if (d.groups.stable) finalVersions[d.cluster] = d.groups.stable.version;
    const result: DemoResult = {
      platform: spec.metadata.name,
      dashboard,
      rpsPerCluster: rps,
      requestsServed: reports.reduce((a, r) => a + r.requests, 0),
      failedRequests: reports.reduce((a, r) => a + r.failed, 0),
      releases,
      finalVersions,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    await options.beforeClose?.(result);
    return result;
  } finally {
    for (const g of generators) await g.stop();
    await api.close();
    await runtime.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Steady open-loop traffic to the web service of every local cluster. */
function startTraffic(runtime: PlatformRuntime, rps: number, log: (line: string) => void): LoadGenerator[] {
  return [...runtime.localTargets].map(([cluster, target]) => {
    log(`traffic: ${rps} req/s to ${cluster} (${target.endpoint('web')})`);
    return new LoadGenerator({ url: `${target.endpoint('web')}/`, rps, durationMs: 600_000 }).start();
  });
}

interface Totals {
  requests: number;
  failed: number;
}

const trafficTotals = (generators: LoadGenerator[]): Totals =>
  generators
    .map((g) => g.report())
    .reduce((a, r) => ({ requests: a.requests + r.requests, failed: a.failed + r.failed }), {
      requests: 0,
      failed: 0,
    });

/** A release's outcome, the traffic it cost, and how long after its first bad request it was rolled back. */
async function outcomeOf(
  runtime: PlatformRuntime,
  view: ReleaseView,
  version: string,
  traffic: { before: Totals; after: Totals; t0: number },
): Promise<DemoRelease> {
  const events = await runtime.store.events(view.release.id);
  const gateFailed = events.find((e) => e.type === EventType.gateFailed);
  let firstBad: number | undefined;
  for (const target of runtime.localTargets.values()) {
    const at = target.metrics.find('web', version)?.firstErrorAt;
    if (at !== undefined && (firstBad === undefined || at < firstBad)) firstBad = at;
  }
  const status = view.state.status;
  return {
    version,
    outcome: status === 'succeeded' || status === 'rolled-back' ? status : 'failed',
    failedRequests: traffic.after.failed - traffic.before.failed,
    requests: traffic.after.requests - traffic.before.requests,
    decisionSeconds:
      gateFailed && firstBad !== undefined
        ? Math.round((Date.parse(gateFailed.time) - firstBad) / 100) / 10
        : null,
    seconds: Math.round((Date.now() - traffic.t0) / 100) / 10,
    ...(view.state.failure?.reason ? { reason: view.state.failure.reason } : {}),
  };
}
