/**
 * @module One error budget per release: the sequential error test's α (the chance of failing a healthy
 * canary) is for the whole release, not for each analysis. A release that runs k analyses comparing a
 * canary with its baseline gives each α / k of its template (Bonferroni: the chance that any of them fails
 * a healthy release stays within α, however the analyses depend on each other). β is not split: a bad
 * canary is promoted only if every analysis accepts it, so each one's β already bounds the release's.
 */
import type { Platform } from '../spec/schema/platform.js';
import { usesSequentialTest } from '../strategies/common.js';
import type { Step } from './types.js';

const DEFAULT_ALPHA = 0.01;

/** An analysis step judged by the sequential error test (against a baseline, not a fixed window). */
export function isSequentialAnalysis(spec: Platform, s: Step): s is Extract<Step, { kind: 'analysis' }> {
  return (
    s.kind === 'analysis' &&
    s.baselineVersion !== undefined &&
    spec.analysis?.[s.template]?.decision !== 'fixed-window' &&
    usesSequentialTest(spec.analysis?.[s.template] ?? {})
  );
}

/** Gives each sequential analysis of the plan its share of α, and says so in its title. */
export function shareErrorBudget(spec: Platform, steps: Step[]): void {
  const sequential = steps.filter((s) => isSequentialAnalysis(spec, s));
  if (sequential.length < 2) return;
  for (const step of sequential) {
    const alpha = spec.analysis?.[step.template]?.sequential?.alpha ?? DEFAULT_ALPHA;
    step.alphaShare = 1 / sequential.length;
    step.title += `; α ${+(alpha / sequential.length).toPrecision(2)} (the release's ${alpha} over its ${sequential.length} analyses)`;
    // A background analysis judges with the share of the step that closes it.
    const started = steps.find((s) => s.id === step.endsBackground);
    if (started?.kind === 'background-analysis') started.alphaShare = step.alphaShare;
  }
}
