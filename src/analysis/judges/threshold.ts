/** @module Absolute threshold: the runbook's "error rate < 1 %", the KPI rule "route flaps ≤ 50". */
import type { Judgement } from './verdict.js';

export interface ThresholdRule {
  max?: number;
  min?: number;
}

/** No data and NaN are inconclusive, never a pass. */
export function judgeThreshold(name: string, value: number | undefined, rule: ThresholdRule): Judgement {
  if (value === undefined)
    return { verdict: 'inconclusive', summary: `${name}: no data`, evidence: { value: null } };
  if (Number.isNaN(value))
    return { verdict: 'inconclusive', summary: `${name}: NaN`, evidence: { value: 'NaN' } };
  const evidence = { value, max: rule.max ?? null, min: rule.min ?? null };
  if (rule.max !== undefined && value > rule.max)
    return { verdict: 'fail', summary: `${name} ${value} > ${rule.max}`, evidence };
  if (rule.min !== undefined && value < rule.min)
    return { verdict: 'fail', summary: `${name} ${value} < ${rule.min}`, evidence };
  return { verdict: 'pass', summary: `${name} ${value} within bounds`, evidence };
}
