/** @module Canary: a second replica set at the new version, traffic moved in weight steps, judged at each. */
import type { ServiceContext } from '../plan/context.js';
import type { Step } from '../plan/types.js';
import type { ReleasePolicy } from '../spec/schema/release-policy.js';
import { parseDuration } from '../spec/units.js';
import { analysisDuration, StepList } from './common.js';

/** When a canary release lists no steps: 20 %, its analyses, 50 %, its analyses. */
const DEFAULT_WEIGHTS = [20, 50];

export function canarySteps(c: ServiceContext): Step[] {
  const policy = c.definition.release;
  type CanaryStep = NonNullable<ReleasePolicy['steps']>[number];
  const steps: CanaryStep[] =
    policy?.steps ??
    DEFAULT_WEIGHTS.flatMap((weight) => [
      { weight },
      ...(policy?.analysis ?? []).map((analysis): CanaryStep => ({ analysis })),
    ]);
  const maxWeight = Math.max(
    0,
    ...steps.map((s) => (s.weight !== undefined && s.weight < 100 ? s.weight : 0)),
  );
  // The canary needs capacity for its largest share of traffic, and at least one replica.
  const canaryReplicas = Math.max(1, Math.ceil((c.replicas * maxWeight) / 100));
  const list = new StepList(c).ensure('canary', c.to, canaryReplicas);
  let weight = 0;
  for (const step of steps) {
    if (step.weight !== undefined) {
      weight = step.weight;
      list.weights({ stable: 100 - weight, canary: weight });
    } else if (step.pause !== undefined) {
      if (typeof step.pause === 'string') list.pause(parseDuration(step.pause));
      else list.pause(undefined, true);
    } else if (step.analysis !== undefined) {
      list.analysis(step.analysis, analysisDuration(c, step.analysis, step.for), c.to, c.from);
    } else if (step.check !== undefined) {
      list.check(step.check, 'canary', c.to);
    } else if (step.match !== undefined) {
      list.weights({ stable: 100 - weight, canary: weight }, [
        { headers: step.match.headers, group: 'canary' },
      ]);
      if (step.match.for) list.pause(parseDuration(step.match.for));
    }
  }
  for (const check of policy?.checks ?? []) list.check(check, 'canary', c.to);
  // autoPromote: false — a person says when: `slipway promote` continues, `slipway abort` rolls back.
  if (policy?.autoPromote === false) list.pause(undefined, true);
  return list.promote('canary', c.to, c.replicas).record(c.to).steps;
}
