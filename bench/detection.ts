/**
 * bench/detection — how fast the sequential error judge fails a bad canary and how rarely it fails a
 * healthy one, against Wald's SPRT bound and Flagger- and Argo-Rollouts-style judges on the same streams.
 *
 *   npm run bench:detection
 *
 * Streams are simulated request by request (seeded): baseline error rate 0.1 %, the canary at 10 % of
 * traffic with 0.5 %, 1 % or 5 % errors, at 200 and 2 000 requests/s; a 2× regression is shown beside
 * that grid. The reference is the two-arm conditional SPRT that knows the effect (ANALYSIS.md), run to its
 * decision on the same streams; Wald's approximation of its expected sample (which leaves out the
 * overshoot past the bound, so the SPRT itself needs 8–25 % more here) and the known-p0 SPRT are printed
 * beside it.
 * The Prometheus path (bench/lib/prometheus-path.ts) runs the same cases through a real Prometheus at a 15 s
 * and a 30 s scrape interval, read with the Traefik template, and counts the canary requests served until
 * the decision, scrape and evaluation lag included.
 * Whole releases (bench/lib/release-outcomes.ts): the default two-step canary at 20, 200 and 2 000
 * requests/s, a 2× regression on a 0.5 % baseline and healthy canaries: promoted, failed, inconclusive.
 * Last line: detection: worst_ratio_vs_sprt=X (÷ the SPRT's requests on the same streams)
 *   worst_ratio_vs_wald=W (÷ Wald's formula) false_fail_rate=Y median_speedup_vs_flagger=Z
 *   miss_rate_2x=M release_false_fail=F (worst over the three rates)
 *   prometheus_ratio_vs_sprt_15s=A prometheus_ratio_vs_sprt_30s=B (worst case of each, by requests counted;
 *   the lines above them also give the requests served until the decision)
 *   prometheus_ratio_vs_grid_sprt_15s=C prometheus_ratio_vs_grid_sprt_30s=D (the same requests ÷ those of the
 *   SPRT that knows the effect and reads the same scrapes at the same moments: the scrape's own floor removed)
 */
import { judgeSequentialErrors } from '../src/analysis/judges/sequential.js';
import { prometheusPath } from './lib/prometheus-path.js';
import { knownEffectLogRatio, waldBounds } from './lib/known-effect-sprt.js';
import { releaseOutcomes } from './lib/release-outcomes.js';
import { seededRandom } from '../src/analysis/stats/seeded-random.js';

const ALPHA = 0.01;
const BETA = 0.01;
const BASE = 0.001;
const SHARE = 0.1;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 400);
const HEALTHY_RUNS = 200;
const MAX_SECONDS = 3600;

const kl = (a: number, b: number) => a * Math.log(a / b) + (1 - a) * Math.log((1 - a) / (1 - b));
const waldNumerator = (1 - BETA) * Math.log((1 - BETA) / ALPHA) + BETA * Math.log(BETA / (1 - ALPHA));

/**
 * Wald's approximation of the canary requests the two-arm conditional SPRT that knows r expects to need.
 * It leaves out the overshoot (an error moves the statistic by a whole step, past its bound), so the
 * SPRT itself needs more; the bench measures that on the same streams (knownEffect) and divides by it.
 */
function waldTwoArm(pc: number): number {
  const r = pc / BASE;
  const pi0 = SHARE;
  const pi1 = (r * SHARE) / (r * SHARE + 1 - SHARE);
  const errors = waldNumerator / kl(pi1, pi0);
  return errors / (pc + (BASE * (1 - SHARE)) / SHARE);
}

/** Expected canary requests of the SPRT that knows the baseline rate exactly. */
const oracleKnownP0 = (pc: number) => waldNumerator / kl(pc, BASE);

interface Outcome {
  canaryRequests: number;
  seconds: number;
  failed: boolean;
}

type Counts = {
  canaryRequests: number;
  canaryErrors: number;
  baselineRequests: number;
  baselineErrors: number;
};

/**
 * One seeded stream of requests, judged at every error until `judge` decides. The same seed gives the same
 * stream to every judge, so their sample sizes are compared run by run.
 */
function judgeStream(
  pc: number,
  rps: number,
  seed: number,
  judge: (c: Counts) => 'fail' | 'accept' | undefined,
  maxSeconds = MAX_SECONDS,
): Outcome {
  const random = seededRandom(seed);
  const c = { canaryRequests: 0, canaryErrors: 0, baselineRequests: 0, baselineErrors: 0 };
  const total = rps * maxSeconds;
  for (let i = 1; i <= total; i++) {
    let erred = false;
    if (random() < SHARE) {
      c.canaryRequests++;
      if (random() < pc) {
        c.canaryErrors++;
        erred = true;
      }
    } else {
      c.baselineRequests++;
      if (random() < BASE) {
        c.baselineErrors++;
        erred = true;
      }
    }
    const decision = erred ? judge(c) : undefined;
    if (decision) return { canaryRequests: c.canaryRequests, seconds: i / rps, failed: decision === 'fail' };
  }
  return { canaryRequests: c.canaryRequests, seconds: maxSeconds, failed: false };
}

/** Slipway: the mixture sequential test, evaluated at every error (continuous monitoring). */
const slipway = (pc: number, rps: number, seed: number, maxSeconds = MAX_SECONDS) =>
  judgeStream(
    pc,
    rps,
    seed,
    (c) => (judgeSequentialErrors(c, { alpha: ALPHA, beta: BETA }).verdict === 'fail' ? 'fail' : undefined),
    maxSeconds,
  );

/** The two-arm SPRT that knows the regression, run to its decision (either bound) on the same stream. */
function knownEffect(pc: number, rps: number, seed: number): Outcome {
  const effect = { ratio: pc / BASE, share: SHARE, alpha: ALPHA, beta: BETA };
  const bounds = waldBounds(effect);
  return judgeStream(pc, rps, seed, (c) => {
    const llr = knownEffectLogRatio(effect, c.canaryErrors, c.baselineErrors);
    return llr >= bounds.fail ? 'fail' : llr <= bounds.accept ? 'accept' : undefined;
  });
}

/**
 * Interval judges on the canary alone: each interval's error rate against an absolute ceiling (here 3×
 * the baseline, a careful user's setting). Flagger: 60 s interval, rollback at 5 failed checks
 * (cumulative; no data counts as failed). Argo Rollouts: 5 min interval, fails when failed > failureLimit 3.
 */
function intervalJudge(
  pc: number,
  rps: number,
  seed: number,
  intervalSeconds: number,
  failuresToFail: number,
): Outcome {
  // Draws exactly as slipway() does, so with the same seed both judge the same stream of requests.
  const random = seededRandom(seed);
  const ceiling = 3 * BASE;
  let failures = 0;
  let canary = 0;
  const perInterval = rps * intervalSeconds;
  for (let t = 0; t < MAX_SECONDS; t += intervalSeconds) {
    let requests = 0;
    let errors = 0;
    for (let i = 0; i < perInterval; i++) {
      if (random() < SHARE) {
        requests++;
        if (random() < pc) errors++;
      } else random();
    }
    canary += requests;
    if (requests === 0 || errors / requests > ceiling) failures++;
    if (failures >= failuresToFail)
      return { canaryRequests: canary, seconds: t + intervalSeconds, failed: true };
  }
  return { canaryRequests: canary, seconds: MAX_SECONDS, failed: false };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2;
};

console.log(
  `detection: α=${ALPHA} β=${BETA}, baseline ${BASE * 100}% errors, canary at ${SHARE * 100}% of traffic, ${RUNS} runs per case`,
);
console.log(
  `${'canary'.padEnd(7)} ${'rps'.padStart(5)} | ${'slipway req'.padStart(11)} ${'sec'.padStart(6)} | ${'sprt req'.padStart(8)} ${'ratio'.padStart(5)} | ${'wald req'.padStart(8)} ${'ratio'.padStart(5)} ${'known-p0'.padStart(8)} | ${'flagger s'.padStart(9)} ${'argo s'.padStart(7)} ${'speedup'.padStart(8)}`,
);

/** One case: Slipway, the SPRT that knows the effect (same streams), Wald's formula, and the interval judges. */
function detectionCase(pc: number, rps: number) {
  const ours = Array.from({ length: RUNS }, (_, i) => slipway(pc, rps, 1 + i));
  const sprt = Array.from({ length: RUNS }, (_, i) => knownEffect(pc, rps, 1 + i));
  const flagger = Array.from({ length: Math.min(RUNS, 20) }, (_, i) =>
    intervalJudge(pc, rps, 10_001 + i, 60, 5),
  );
  const argo = Array.from({ length: Math.min(RUNS, 20) }, (_, i) =>
    intervalJudge(pc, rps, 20_001 + i, 300, 4),
  );
  const observed = mean(ours.map((o) => o.canaryRequests));
  const sprtRequests = mean(sprt.map((o) => o.canaryRequests));
  const wald = waldTwoArm(pc);
  const oursSeconds = median(ours.map((o) => o.seconds));
  const flaggerSeconds = median(flagger.map((o) => o.seconds));
  const argoSeconds = median(argo.map((o) => o.seconds));
  const ratio = observed / sprtRequests;
  const speedup = flaggerSeconds / oursSeconds;
  console.log(
    `${`${pc * 100}%`.padEnd(7)} ${String(rps).padStart(5)} | ${observed.toFixed(0).padStart(11)} ${oursSeconds.toFixed(1).padStart(6)} | ${sprtRequests.toFixed(0).padStart(8)} ${ratio.toFixed(2).padStart(5)} | ${wald.toFixed(0).padStart(8)} ${(observed / wald).toFixed(2).padStart(5)} ${oracleKnownP0(pc).toFixed(0).padStart(8)} | ${flaggerSeconds.toFixed(0).padStart(9)} ${argoSeconds.toFixed(0).padStart(7)} ${speedup.toFixed(1).padStart(8)}`,
  );
  const missed = ours.filter((o) => !o.failed).length;
  if (missed) console.log(`  warning: ${missed} bad canaries were never failed within ${MAX_SECONDS}s`);
  return { ratio, vsWald: observed / wald, speedup, sprtRequests };
}

const ratios: number[] = [];
const waldRatios: number[] = [];
const speedups: number[] = [];
const sprtRequestsAt = new Map<number, number>();
for (const pc of [0.005, 0.01, 0.05]) {
  for (const rps of [200, 2000]) {
    const row = detectionCase(pc, rps);
    ratios.push(row.ratio);
    waldRatios.push(row.vsWald);
    speedups.push(row.speedup);
    sprtRequestsAt.set(pc, row.sprtRequests);
  }
}
// The defaults' smallest promise, a doubled error rate, is shown beside the grid (not part of its worst).
console.log('beside the grid, a 2× regression:');
detectionCase(2 * BASE, 200);

// Healthy canaries: 10 minutes each at 200 requests/s, looked at continuously.
let falseFails = 0;
for (let i = 0; i < HEALTHY_RUNS; i++) if (slipway(BASE, 200, 50_001 + i, 600).failed) falseFails++;
const falseFailRate = falseFails / HEALTHY_RUNS;
console.log(`healthy canaries: ${falseFails} of ${HEALTHY_RUNS} failed (α = ${ALPHA})`);

// Whole releases at the default settings (two analyses sharing α): a 2× regression on a 0.5 % baseline
// (the smallest one the defaults promise to catch), and healthy canaries, at 20, 200 and 2 000 requests/s.
const RELEASE_RUNS = Number(process.env['BENCH_RELEASE_RUNS'] ?? 1000);
let missRate2x = 0;
let releaseFalseFail = 0;
for (const rps of [20, 200, 2000]) {
  const bad = releaseOutcomes({ p0: 0.005, pc: 0.01, rps }, RELEASE_RUNS, seededRandom, 90_001);
  const good = releaseOutcomes({ p0: 0.005, pc: 0.005, rps }, RELEASE_RUNS, seededRandom, 190_001);
  missRate2x = Math.max(missRate2x, bad.promoted / RELEASE_RUNS);
  releaseFalseFail = Math.max(releaseFalseFail, good.failed / RELEASE_RUNS);
  const pct = (n: number) => `${((n / RELEASE_RUNS) * 100).toFixed(1)}%`;
  console.log(
    `release at ${String(rps).padStart(4)} rps: 2× regression promoted ${pct(bad.promoted)}, failed ${pct(bad.failed)}, inconclusive ${pct(bad.inconclusive)} | healthy promoted ${pct(good.promoted)}, failed ${pct(good.failed)}, inconclusive ${pct(good.inconclusive)} (${RELEASE_RUNS} releases each)`,
  );
}

// The Prometheus path: the same cases, scraped, backfilled into a real Prometheus, read by the template.
const PROM_RUNS = Number(process.env['BENCH_PROM_RUNS'] ?? 20);
const promCases = [0.005, 0.01, 0.05].flatMap((pc) =>
  [200, 2000].map((rps) => ({ pc, rps, seeds: Array.from({ length: PROM_RUNS }, (_, i) => 70_001 + i) })),
);
const promWorst: Record<number, number> = {};
const gridWorst: Record<number, number> = {};
for (const scrapeSeconds of [15, 30]) {
  const results = await prometheusPath(promCases, {
    base: BASE,
    share: SHARE,
    alpha: ALPHA,
    beta: BETA,
    scrapeSeconds,
    evalSeconds: 5,
    maxSeconds: 900,
    rng: seededRandom,
  });
  const caseRatios = results.map((outcomes, i) => {
    const c = promCases[i]!;
    const oracle = sprtRequestsAt.get(c.pc)!;
    const counted = mean(outcomes.map((o) => o.counted));
    const served = mean(outcomes.map((o) => o.served));
    const grid = mean(outcomes.map((o) => o.gridCounted));
    const missed = outcomes.filter((o) => !o.failed).length;
    console.log(
      `prometheus ${scrapeSeconds}s scrape, canary ${c.pc * 100}% at ${String(c.rps).padStart(4)} rps: counted ${counted.toFixed(0).padStart(5)} (${(counted / oracle).toFixed(2)} × SPRT ${oracle.toFixed(0)}), served ${served.toFixed(0).padStart(5)} (${(served / oracle).toFixed(2)} ×); ${(counted / grid).toFixed(2)} × the SPRT reading the same scrapes (${grid.toFixed(0)}), ${median(outcomes.map((o) => o.seconds)).toFixed(0)} s median${missed ? `; ${missed} of ${outcomes.length} not failed within 900 s` : ''}`,
    );
    return { vsSprt: counted / oracle, vsGrid: counted / grid };
  });
  promWorst[scrapeSeconds] = Math.max(...caseRatios.map((r) => r.vsSprt));
  gridWorst[scrapeSeconds] = Math.max(...caseRatios.map((r) => r.vsGrid));
}
console.log(
  `detection: worst_ratio_vs_sprt=${Math.max(...ratios).toFixed(2)} worst_ratio_vs_wald=${Math.max(...waldRatios).toFixed(2)} false_fail_rate=${falseFailRate.toFixed(3)} median_speedup_vs_flagger=${median(speedups).toFixed(1)} miss_rate_2x=${missRate2x.toFixed(3)} release_false_fail=${releaseFalseFail.toFixed(3)} prometheus_ratio_vs_sprt_15s=${promWorst[15]!.toFixed(2)} prometheus_ratio_vs_sprt_30s=${promWorst[30]!.toFixed(2)} prometheus_ratio_vs_grid_sprt_15s=${gridWorst[15]!.toFixed(2)} prometheus_ratio_vs_grid_sprt_30s=${gridWorst[30]!.toFixed(2)}`,
);
