/**
 * The detection bench's Prometheus path: the same request streams as the builtin path, counted the way a
 * Traefik gateway counts them and scraped every 15 s or 30 s, backfilled into a real Prometheus (Debian's
 * `promtool tsdb create-blocks-from openmetrics`), then the analysis replayed against it: every 5 s of the
 * stream's time the sequential test judges the counts that Slipway's Traefik template reads with
 * `increase()` at that moment. A decision is measured twice against the two-arm SPRT's expectation: by the
 * canary requests it counted (what the test needed, as the builtin path measures it), and by the canary
 * requests served until it was made (the users exposed, scrape and evaluation lag included).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeSequentialErrors } from '../../src/analysis/judges/sequential.js';
import { GATEWAY_TEMPLATES, windowQueries } from '../../src/providers/gateway-templates.js';
import { PrometheusProvider } from '../../src/providers/prometheus.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { knownEffectLogRatio, waldBounds } from './known-effect-sprt.js';

export interface StreamCase {
  /** Canary error rate. */
  pc: number;
  rps: number;
  seeds: number[];
}

export interface PathOptions {
  base: number;
  share: number;
  alpha: number;
  beta: number;
  scrapeSeconds: number;
  evalSeconds: number;
  maxSeconds: number;
  rng: (seed: number) => () => number;
}

interface Run {
  case: StreamCase;
  namespace: string;
  /** Seconds since the stream began → canary requests served by then. */
  canaryServed: number[];
  phase: number;
}

const SERVICE = (ns: string, svc: string) => `${ns}-${svc}-80@kubernetesgateway`;

/** One stream's scraped counters, as OpenMetrics lines (per series, in time order). */
function simulate(
  c: StreamCase,
  seed: number,
  namespace: string,
  o: PathOptions,
  start: number,
  lines: string[],
): Run {
  const random = o.rng(seed);
  const phase = random() * o.scrapeSeconds;
  const counts = { canary: [0, 0], stable: [0, 0] }; // [ok, errors]
  const samples: { t: number; canary: number[]; stable: number[] }[] = [];
  const canaryServed: number[] = [0];
  let nextScrape = phase;
  let served = 0;
  for (let second = 0; second < o.maxSeconds; second++) {
    for (let i = 0; i < c.rps; i++) {
      const t = second + i / c.rps;
      while (t >= nextScrape) {
        samples.push({ t: nextScrape, canary: [...counts.canary], stable: [...counts.stable] });
        nextScrape += o.scrapeSeconds;
      }
      if (random() < o.share) {
        served++;
        counts.canary[random() < c.pc ? 1 : 0]!++;
      } else counts.stable[random() < o.base ? 1 : 0]!++;
    }
    canaryServed.push(served);
  }
  for (const arm of ['canary', 'stable'] as const)
    for (const [code, index] of [
      ['200', 0],
      ['500', 1],
    ] as const)
      for (const s of samples)
        lines.push(
          `traefik_service_requests_total{code="${code}",method="GET",protocol="http",service="${SERVICE(namespace, arm === 'canary' ? 'web-canary' : 'web')}"} ${s[arm][index]} ${(start + s.t).toFixed(3)}`,
        );
  return { case: c, namespace, canaryServed, phase };
}

async function startPrometheusOn(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const config = join(dataDir, '..', 'prometheus.yml');
  writeFileSync(config, 'global: { scrape_interval: 1m }\n');
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=10y',
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, child };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('prometheus did not get ready');
}

/**
 * The two-arm conditional SPRT that knows the canary's error rate (the bench's reference), judging the same
 * counts at the same moment: what any reader of these scrapes could do at best.
 */
function gridOracleFails(c: StreamCase, o: PathOptions, canaryErrors: number, baselineErrors: number) {
  const effect = { ratio: c.pc / o.base, share: o.share, alpha: o.alpha, beta: o.beta };
  return knownEffectLogRatio(effect, canaryErrors, baselineErrors) >= waldBounds(effect).fail;
}

/**
 * Replays one run's analysis: the first evaluation at which the sequential test fails, and the first at
 * which the reference SPRT reading the same counts would have.
 */
async function decide(prom: PrometheusProvider, run: Run, o: PathOptions, start: number) {
  const backends = (service: string) => [
    { namespace: run.namespace, service, workload: service, sharedService: false },
  ];
  const t = GATEWAY_TEMPLATES.traefik;
  const count = async (service: string, at: number, ms: number) => {
    const q = windowQueries(t, backends(service), ms);
    const [r, e] = await Promise.all([
      prom.query(q.requests, undefined, at),
      prom.query(q.errors, undefined, at),
    ]);
    const n = r.kind === 'value' ? Math.round(r.value) : 0;
    return { requests: n, errors: Math.min(n, e.kind === 'value' ? Math.round(e.value) : 0) };
  };
  let grid: number | undefined;
  for (let s = o.evalSeconds; s < o.maxSeconds; s += o.evalSeconds) {
    const at = start + s;
    const [canary, stable] = await Promise.all([
      count('web-canary', at, s * 1000),
      count('web', at, s * 1000),
    ]);
    const verdict = judgeSequentialErrors(
      {
        canaryRequests: canary.requests,
        canaryErrors: canary.errors,
        baselineRequests: stable.requests,
        baselineErrors: stable.errors,
      },
      { alpha: o.alpha, beta: o.beta },
    ).verdict;
    if (grid === undefined && gridOracleFails(run.case, o, canary.errors, stable.errors))
      grid = canary.requests;
    if (verdict === 'fail')
      return {
        counted: canary.requests,
        served: run.canaryServed[s]!,
        seconds: s,
        failed: true,
        gridCounted: grid ?? canary.requests,
      };
  }
  return {
    gridCounted: grid ?? run.canaryServed.at(-1)!,
    counted: run.canaryServed.at(-1)!,
    served: run.canaryServed.at(-1)!,
    seconds: o.maxSeconds,
    failed: false,
  };
}

/** Mean canary requests served to a decision, per case, on the Prometheus path at one scrape interval. */
export async function prometheusPath(cases: StreamCase[], o: PathOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-prom-'));
  const start = Math.floor(Date.now() / 1000) - 6 * 3600;
  try {
    const lines = [
      '# HELP traefik_service_requests How many HTTP requests processed on a service.',
      '# TYPE traefik_service_requests counter',
    ];
    const runs = cases.map((c, ci) =>
      c.seeds.map((seed, i) => simulate(c, seed, `p${o.scrapeSeconds}c${ci}i${i}`, o, start, lines)),
    );
    lines.push('# EOF');
    writeFileSync(join(dir, 'samples.om'), lines.join('\n') + '\n');
    const backfill = spawnSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', '-q', join(dir, 'samples.om'), join(dir, 'data')],
      {
        encoding: 'utf8',
      },
    );
    if (backfill.status !== 0) throw new Error(`promtool: ${backfill.stderr}`);
    const { url, child } = await startPrometheusOn(join(dir, 'data'));
    try {
      const prom = new PrometheusProvider({ url, timeoutMs: 30_000 });
      const results = [];
      for (const caseRuns of runs) {
        const outcomes = [];
        for (let i = 0; i < caseRuns.length; i += 8)
          outcomes.push(
            ...(await Promise.all(caseRuns.slice(i, i + 8).map((r) => decide(prom, r, o, start)))),
          );
        results.push(outcomes);
      }
      return results;
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
