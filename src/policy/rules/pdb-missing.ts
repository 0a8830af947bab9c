/** @module A replicated workload has a PodDisruptionBudget. */
import { replicasOf } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const pdbMissing: Rule = {
  id: 'pdb-missing',
  severity: 'warning',
  title: 'Replicated workload without a PodDisruptionBudget',
  rationale:
    'A node drain or cluster upgrade may evict every replica at once when no budget says how many must stay.',
  fix: 'Add a PodDisruptionBudget with maxUnavailable: 1 (Slipway renders one for services with 2 or more replicas).',
  check(object, ctx) {
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
    if (replicasOf(object) < 2) return [];
    return ctx.selecting(object, 'PodDisruptionBudget', ['spec', 'selector']).length > 0
      ? []
      : [
          {
            message: `${replicasOf(object)} replicas and no PodDisruptionBudget selects them`,
            path: ['spec', 'replicas'],
          },
        ];
  },
};
