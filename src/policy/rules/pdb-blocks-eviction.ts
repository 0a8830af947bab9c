/** @module A PodDisruptionBudget still allows one eviction. */
import { dig, replicasOf } from '../../render/object-access.js';
import type { K8sObject } from '../../render/k8s-object.js';
import type { Rule } from '../rule.js';
import type { LintContext } from '../lint-context.js';

function targets(pdb: K8sObject, ctx: LintContext): K8sObject[] {
  return ctx
    .workloads(pdb.metadata.namespace ?? 'default')
    .filter((w) => ctx.selecting(w, 'PodDisruptionBudget', ['spec', 'selector']).includes(pdb));
}

export const pdbBlocksEviction: Rule = {
  id: 'pdb-blocks-eviction',
  severity: 'error',
  title: 'PodDisruptionBudget blocks every eviction',
  rationale:
    'maxUnavailable: 0, or minAvailable equal to the replicas (or 100%), makes every node drain hang: cluster upgrades stall until someone deletes the budget.',
  fix: 'Use maxUnavailable: 1 (or a minAvailable below the replica count).',
  check(object, ctx) {
    if (object.kind !== 'PodDisruptionBudget') return [];
    const maxUnavailable = dig(object, 'spec', 'maxUnavailable');
    const minAvailable = dig(object, 'spec', 'minAvailable');
    if (maxUnavailable === 0 || maxUnavailable === '0%')
      return [
        { message: 'maxUnavailable is 0: no pod may ever be evicted', path: ['spec', 'maxUnavailable'] },
      ];
    if (minAvailable === '100%')
      return [
        { message: 'minAvailable is 100%: no pod may ever be evicted', path: ['spec', 'minAvailable'] },
      ];
    if (typeof minAvailable === 'number')
      for (const w of targets(object, ctx))
        if (minAvailable >= replicasOf(w))
          return [
            {
              message: `minAvailable ${minAvailable} ≥ the ${replicasOf(w)} replicas of ${w.kind} ${w.metadata.name}`,
              path: ['spec', 'minAvailable'],
            },
          ];
    return [];
  },
};
