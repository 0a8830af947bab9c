/** @module An autoscaler keeps at least two replicas and does not undercut the workload's replicas. */
import { dig, replicasOf } from '../../render/object-access.js';
import type { Rule, Violation } from '../rule.js';

export const hpaMinReplicas: Rule = {
  id: 'hpa-min-replicas',
  severity: 'warning',
  title: 'Autoscaler minimum below 2 or below the declared replicas',
  rationale:
    "An HPA minimum of 1 scales a quiet service to a single point of failure; a minimum below the Deployment's replicas silently removes the capacity the spec asked for.",
  fix: 'Set autoscale.min ≥ 2 and ≥ replicas (or lower replicas to the minimum you really want).',
  check(object, ctx) {
    if (object.kind !== 'HorizontalPodAutoscaler' && object.kind !== 'ScaledObject') return [];
    const hpa = object.kind === 'HorizontalPodAutoscaler';
    const field = hpa ? 'minReplicas' : 'minReplicaCount';
    const min = Number(dig(object, 'spec', field) ?? (hpa ? 1 : 0));
    const out: Violation[] = [];
    if (min < 2) out.push({ message: `${field} is ${min}`, path: ['spec', field] });
    const target = ctx
      .workloads(object.metadata.namespace ?? 'default')
      .find((w) => w.metadata.name === dig(object, 'spec', 'scaleTargetRef', 'name'));
    if (target && min < replicasOf(target))
      out.push({
        message: `${field} ${min} is below the ${replicasOf(target)} replicas of ${target.kind} ${target.metadata.name}`,
        path: ['spec', field],
      });
    return out;
  },
};
