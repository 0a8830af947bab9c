/**
 * @module Mann-Whitney U for latency distributions (asymptotic, tie-corrected, with continuity correction,
 * as SciPy's `mannwhitneyu(method='asymptotic')`), and the Hodges–Lehmann shift: the median of all
 * canary − baseline differences, the size of the change the test detects.
 */
import { normalSf } from '../stats/special.js';
import type { Judgement } from './verdict.js';

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface MannWhitneyResult {
  /** U of the first sample (SciPy's `statistic`). */
  u: number;
  z: number;
  pValue: number;
}

/** Average ranks of the pooled sample; also Σ(t³ − t) over tie groups. */
function ranks(values: number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  let tieTerm = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]![1]] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { ranks: out, tieTerm };
}

export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  const { ranks: r, tieTerm } = ranks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += r[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  // Every value equal: nothing tells the samples apart, and SciPy reports p = 1 whatever the alternative.
  if (sigma === 0) return { u: u1, z: 0, pValue: 1 };
  const z = (u - mu - 0.5) / sigma;
  let p = normalSf(z);
  if (alternative === 'two-sided') p = Math.min(1, 2 * p);
  return { u: u1, z, pValue: p };
}

/** Hodges–Lehmann estimate of the shift x − y. Large samples are thinned evenly to bound the work. */
export function hodgesLehmann(x: readonly number[], y: readonly number[], cap = 1500): number {
  const thin = (a: readonly number[]) =>
    a.length <= cap ? a : Array.from({ length: cap }, (_, i) => a[Math.floor((i * a.length) / cap)]!);
  const xs = thin(x);
  const ys = thin(y);
  const diffs = new Float64Array(xs.length * ys.length);
  let k = 0;
  for (const a of xs) for (const b of ys) diffs[k++] = a - b;
  diffs.sort();
  const mid = diffs.length >> 1;
  return diffs.length % 2 ? diffs[mid]! : (diffs[mid - 1]! + diffs[mid]!) / 2;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface LatencyRule {
  /** One-sided significance level (default 0.01). */
  alpha?: number;
  /** The slowdown tolerated, as a share of the baseline median (0.2 = 20 %). */
  allowedIncrease: number;
  /**
   * The smallest slowdown that matters, in seconds (default 5 ms): a shift below it passes however
   * significant, since thousands of requests make a 1 ms shift "certain" and no user feels it.
   */
  minIncrease?: number;
  minSample?: number;
}

export const DEFAULT_LATENCY_FLOOR_SECONDS = 0.005;

/** Fails when the canary is significantly slower *and* the shift is larger than allowed. */
export function judgeLatencyShift(
  canary: readonly number[],
  baseline: readonly number[],
  rule: LatencyRule,
): Judgement {
  const minSample = rule.minSample ?? 50;
  const broken = [...canary, ...baseline].find((v) => !Number.isFinite(v));
  if (broken !== undefined) {
    return {
      verdict: 'inconclusive',
      summary: `latency: a sample is ${String(broken)}, so the rank test has no answer (SciPy gives NaN)`,
      evidence: { canarySamples: canary.length, baselineSamples: baseline.length },
    };
  }
  if (canary.length < minSample || baseline.length < minSample) {
    return {
      verdict: 'inconclusive',
      summary: `latency: ${canary.length} canary and ${baseline.length} baseline samples; ${minSample} each needed`,
      evidence: { canarySamples: canary.length, baselineSamples: baseline.length },
    };
  }
  const alpha = rule.alpha ?? 0.01;
  const test = mannWhitneyU(canary, baseline, 'greater');
  const shift = hodgesLehmann(canary, baseline);
  const base = median(baseline);
  const relative = base * rule.allowedIncrease;
  const floor = rule.minIncrease ?? DEFAULT_LATENCY_FLOOR_SECONDS;
  const allowed = Math.max(relative, floor);
  const evidence = {
    u: test.u,
    z: test.z,
    pValue: test.pValue,
    shift,
    baselineMedian: base,
    allowedShift: allowed,
    relativeAllowance: relative,
    floor,
    canarySamples: canary.length,
    baselineSamples: baseline.length,
  };
  if (test.pValue < alpha && shift > allowed) {
    return {
      verdict: 'fail',
      summary: `latency shifted by ${(shift * 1000).toFixed(2)} ms (allowed ${(allowed * 1000).toFixed(2)} ms: ${(rule.allowedIncrease * 100).toFixed(0)}% of ${(base * 1000).toFixed(2)} ms, at least ${(floor * 1000).toFixed(1)} ms), p = ${test.pValue.toExponential(2)}`,
      evidence,
    };
  }
  return {
    verdict: 'pass',
    summary: `latency shift ${(shift * 1000).toFixed(2)} ms within ${(allowed * 1000).toFixed(2)} ms (${(rule.allowedIncrease * 100).toFixed(0)}% of ${(base * 1000).toFixed(2)} ms, at least ${(floor * 1000).toFixed(1)} ms; p = ${test.pValue.toExponential(2)})`,
    evidence,
  };
}
