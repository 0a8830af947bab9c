/** @module A serving workload runs at least two replicas. */
import { dig, replicasOf } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const minReplicas: Rule = {
  id: 'min-replicas',
  severity: 'warning',
  title: 'Single replica',
  rationale:
    'One replica means downtime on every node drain, eviction and crash; a rolling update of one pod has no spare.',
  fix: 'Set replicas to 2 or more (services.<name>.replicas, or an environment override), or an autoscaler minimum of 2.',
  manifestFix: 'Set spec.replicas to 2 or more, or an autoscaler with minReplicas 2.',
  check(object, ctx) {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
    const replicas = replicasOf(object);
    if (replicas >= 2 || replicas === 0) return [];
    const scaled = ctx
      .scalersOf(object)
      .some((s) => Number(dig(s, 'spec', 'minReplicas') ?? dig(s, 'spec', 'minReplicaCount') ?? 1) >= 2);
    return scaled ? [] : [{ message: `${replicas} replica`, path: ['spec', 'replicas'] }];
  },
};
