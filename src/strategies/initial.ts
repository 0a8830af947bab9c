/** @module The first deployment of a service on a cluster: nothing to compare with, so no canary. */
import type { ServiceContext } from '../plan/context.js';
import type { Step } from '../plan/types.js';
import { StepList } from './common.js';

export function initialSteps(c: ServiceContext): Step[] {
  const list = new StepList(c).ensure('stable', c.to, c.replicas).weights({ stable: 100 });
  for (const check of c.definition.release?.checks ?? []) list.check(check, 'stable', c.to);
  return list.record(c.to).steps;
}
