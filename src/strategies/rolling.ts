/** @module Rolling: replace replicas in place within maxSurge / maxUnavailable (the runbook's 25 % / 0). */
import type { ServiceContext } from '../plan/context.js';
import type { Step } from '../plan/types.js';
import { analysisDuration, StepList } from './common.js';
import { policyBounds } from './promotion-policy.js';

export function rollingSteps(c: ServiceContext): Step[] {
  const policy = c.definition.release;
  const list = new StepList(c).ensure('stable', c.to, c.replicas, {
    maxSurge: '25%',
    maxUnavailable: 0,
    ...policyBounds(policy),
  });
  for (const check of policy?.checks ?? []) list.check(check, 'stable', c.to);
  for (const template of policy?.analysis ?? []) list.analysis(template, analysisDuration(c, template), c.to);
  return list.record(c.to).steps;
}
