/** @module The sequential error test's rule as a template states it: one reading for the loop and the plan. */
import type { Platform } from '../spec/schema/platform.js';
import { parsePercent } from '../spec/units.js';
import type { SequentialRule } from './judges/sequential.js';

type Template = NonNullable<Platform['analysis']>[string];

/** The canary requests an analysis needs before any pass, unless its template says otherwise. */
export const DEFAULT_MIN_SAMPLE = 50;

/** The rule of a template's sequential test, with this analysis's share of the template's α. */
export function sequentialRuleOf(d: Template, alphaShare = 1): SequentialRule {
  return {
    alpha: (d.sequential?.alpha ?? 0.01) * alphaShare,
    beta: d.sequential?.beta ?? 0.01,
    minSample: d.minSample ?? DEFAULT_MIN_SAMPLE,
    // errorRate.maxIncrease ("at most 50 % more errors than the baseline") is the ratio to catch.
    ...(d.sequential?.errorRatio !== undefined
      ? { rBad: d.sequential.errorRatio }
      : d.errorRate?.maxIncrease !== undefined
        ? { rBad: 1 + parsePercent(d.errorRate.maxIncrease) }
        : {}),
    ...(d.sequential?.minIncrease !== undefined
      ? { minIncrease: parsePercent(d.sequential.minIncrease) }
      : {}),
  };
}
