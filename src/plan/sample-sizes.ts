/**
 * @module How much traffic each analysis needs. The sequential error test promotes a healthy canary after
 * about its expected sample and gives up at its maximum (a truncated design: acceptanceSample); from the
 * service's declared `traffic` (else the traffic its last analysis measured) and the canary's weight at that step, the plan turns both into time and
 * warns when the analysis cannot reach them before its limit — it would end inconclusive, never pass.
 */
import { DEFAULT_EXTENSION_MS } from '../analysis/analysis-loop.js';
import { acceptanceSample } from '../analysis/judges/sequential.js';
import { sequentialRuleOf } from '../analysis/sequential-rule.js';
import type { Platform } from '../spec/schema/platform.js';
import { parseDuration, parsePercent } from '../spec/units.js';
import { isSequentialAnalysis } from './error-budget.js';
import type { MeasuredTraffic } from './measured-traffic.js';
import type { Step } from './types.js';

type AnalysisStep = Extract<Step, { kind: 'analysis' }>;

const seconds = (ms: number) =>
  ms < 120_000 ? `${Math.round(ms / 1000)}s` : `${Math.round(ms / 60_000)} min`;
const rate = (perSecond: number) => (perSecond < 10 ? perSecond.toFixed(1) : perSecond.toFixed(0));

/** The analyses whose pass needs the sequential test to accept (a fixed window or a count has no sample). */
const decidesBySample = (spec: Platform, step: Step): step is AnalysisStep =>
  isSequentialAnalysis(spec, step) && spec.analysis?.[step.template]?.count === undefined;

/** The longest the analysis may run: its maxDuration, else its window and the run-on the loop allows. */
function limitMs(spec: Platform, step: AnalysisStep): number | undefined {
  const t = spec.analysis![step.template]!;
  if (t.maxDuration) return Math.max(parseDuration(t.maxDuration), step.durationMs);
  // A background analysis's window lasts until its closing step: no limit the plan can state.
  return step.endsBackground ? undefined : step.durationMs + DEFAULT_EXTENSION_MS;
}

/** The traffic to plan with: the spec's declaration, else what the last analysis here measured. */
function trafficOf(spec: Platform, step: AnalysisStep, measured: Map<string, MeasuredTraffic> | undefined) {
  const declared = spec.services[step.service]?.traffic;
  const seen = measured?.get(`${step.cluster}/${step.service}`);
  const p0 =
    declared?.errorRate !== undefined
      ? parsePercent(declared.errorRate)
      : declared
        ? 0
        : (seen?.errorRate ?? 0);
  const pct = `${+(p0 * 100).toPrecision(2)}%`;
  return {
    requestsPerSecond: declared?.requestsPerSecond ?? seen?.requestsPerSecond,
    p0,
    errorsNote:
      declared?.errorRate !== undefined
        ? `at a ${pct} error rate`
        : seen && !declared
          ? `at the ${pct} error rate measured in ${seen.release}`
          : 'if error-free',
    rateNote: declared ? '' : seen ? ` (the traffic measured in ${seen.release})` : '',
  };
}

/**
 * Adds to each sequential analysis's title the canary requests it expects to need and at most needs to
 * promote, and their time at the declared (else measured) traffic; answers the warnings for those that
 * cannot decide.
 */
export function stateSampleSizes(
  spec: Platform,
  steps: Step[],
  measured?: Map<string, MeasuredTraffic>,
): string[] {
  const weights = new Map<string, Extract<Step, { kind: 'set-weights' }>['weights']>();
  const warnings: string[] = [];
  for (const step of steps) {
    if (step.kind === 'set-weights') weights.set(`${step.cluster}/${step.service}`, step.weights);
    if (!decidesBySample(spec, step)) continue;
    const traffic = trafficOf(spec, step, measured);
    const { p0, requestsPerSecond: rps } = traffic;
    const rule = sequentialRuleOf(spec.analysis![step.template]!, step.alphaShare);
    const { expected, maximum } = acceptanceSample(p0, rule);
    const weight = weights.get(`${step.cluster}/${step.service}`)?.[step.group ?? 'canary'];
    const perSecond = rps !== undefined && weight ? (rps * weight) / 100 : undefined;
    if (perSecond === undefined || rps === undefined) {
      step.title += `; promotes after about ${expected} canary requests ${traffic.errorsNote} (gives up after ${maximum})`;
      continue;
    }
    const expectedMs = (expected / perSecond) * 1000;
    const maximumMs = (maximum / perSecond) * 1000;
    step.title += `; promotes after about ${expected} canary requests ${traffic.errorsNote}: ${seconds(expectedMs)} at ${rate(perSecond)} canary requests/s${traffic.rateNote} (gives up after ${maximum}: ${seconds(maximumMs)})`;
    const limit = limitMs(spec, step);
    // With no errors expected the expected sample is exact (an error-free walk is deterministic): the
    // maximum matters only when errors are expected.
    const bound = p0 > 0 ? maximumMs : expectedMs;
    if (limit === undefined || bound <= limit) continue;
    const at = `at ${rate(perSecond)} canary requests/s (${rate(rps)}/s × ${weight}%${traffic.rateNote ? ', measured' : ''})`;
    warnings.push(
      expectedMs > limit
        ? `${step.id}: too little traffic to decide — ${at} a healthy canary needs about ${seconds(expectedMs)} to be promoted, more than the analysis's ${seconds(limit)}: it will end inconclusive; raise the weight or the template's maxDuration`
        : `${step.id}: ${at} the analysis reaches its maximum sample of ${maximum} after ${seconds(maximumMs)}, past its ${seconds(limit)}: a healthy canary slower than average to show it ends inconclusive`,
    );
  }
  return warnings;
}
