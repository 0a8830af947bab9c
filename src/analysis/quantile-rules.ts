/**
 * @module The latency quantile rules of a template, judged once at the end of the window on the builtin
 * traffic: `latencyP95.max` and `latencyP99.max` (the canary's quantile under a ceiling) and
 * `latencyP99.maxIncrease` (the canary's p99 within a share of the concurrent baseline's, and at least the
 * template's floor above it, as for the rank test), and `latencyP95.maxIncrease` the same way where the
 * source has no per-request latencies for the rank test (a gateway's histogram in Prometheus). A quantile
 * with too few requests is inconclusive.
 */
import { parseDuration, parsePercent } from '../spec/units.js';
import type { AnalysisState } from './analysis-round.js';
import { DEFAULT_LATENCY_FLOOR_SECONDS } from './judges/mann-whitney.js';
import type { Judgement } from './judges/verdict.js';

const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;

export function judgeQuantiles(s: AnalysisState): Judgement[] {
  const d = s.input.definition;
  const rules: {
    name: string;
    q: number;
    max?: string | undefined;
    maxIncrease?: string | number | undefined;
    floor?: string | undefined;
  }[] = [];
  if (d.latencyP95?.max) rules.push({ name: 'p95 latency', q: 0.95, max: d.latencyP95.max });
  // Without per-request latencies (a gateway's histogram) the p95 shift is judged on the quantiles.
  if (
    d.latencyP95?.maxIncrease !== undefined &&
    !s.cursors.canary?.recentLatencies &&
    s.input.baselineVersion
  )
    rules.push({
      name: 'p95 latency',
      q: 0.95,
      maxIncrease: d.latencyP95.maxIncrease,
      floor: d.latencyP95.minIncrease,
    });
  if (d.latencyP99)
    rules.push({
      name: 'p99 latency',
      q: 0.99,
      max: d.latencyP99.max,
      maxIncrease: d.latencyP99.maxIncrease,
      floor: d.latencyP95?.minIncrease,
    });
  if (rules.length === 0) return [];
  const { canary, baseline } = s.windows;
  const out: Judgement[] = [];
  for (const rule of rules) {
    if (!canary || canary.requests < s.minSample) {
      out.push({
        verdict: 'inconclusive',
        summary: `${rule.name}: ${canary?.requests ?? 0} of the ${s.minSample} canary requests needed`,
        evidence: {},
      });
      continue;
    }
    const value = canary.quantile(rule.q);
    if (!Number.isFinite(value)) {
      out.push({ verdict: 'inconclusive', summary: `${rule.name}: no latency recorded`, evidence: {} });
      continue;
    }
    if (rule.max !== undefined) {
      const max = parseDuration(rule.max) / 1000;
      out.push({
        verdict: value > max ? 'fail' : 'pass',
        summary: `${rule.name} ${ms(value)} ${value > max ? 'over' : 'within'} ${ms(max)}`,
        evidence: { quantile: rule.q, value, max },
      });
    }
    if (rule.maxIncrease !== undefined) {
      const base = baseline && baseline.requests >= s.minSample ? baseline.quantile(rule.q) : Number.NaN;
      if (!Number.isFinite(base)) {
        out.push({
          verdict: 'inconclusive',
          summary: `${rule.name}: the baseline has too few requests to compare`,
          evidence: {},
        });
        continue;
      }
      const allowed = Math.max(
        base * parsePercent(rule.maxIncrease),
        rule.floor ? parseDuration(rule.floor) / 1000 : DEFAULT_LATENCY_FLOOR_SECONDS,
      );
      const over = value - base > allowed;
      out.push({
        verdict: over ? 'fail' : 'pass',
        summary: `${rule.name} ${ms(value)} vs baseline ${ms(base)}: ${over ? 'more than' : 'within'} ${ms(allowed)} above`,
        evidence: { quantile: rule.q, value, baseline: base, allowed },
      });
    }
  }
  return out;
}
