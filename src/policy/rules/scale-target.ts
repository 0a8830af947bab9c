/** @module An autoscaler's target exists. */
import { dig } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const scaleTarget: Rule = {
  id: 'scale-target',
  severity: 'error',
  title: 'Autoscaler targets a missing workload',
  rationale:
    'An HPA or ScaledObject whose scaleTargetRef names no workload does nothing, and the service never scales.',
  fix: 'Point spec.scaleTargetRef at the Deployment or StatefulSet by its exact name.',
  check(object, ctx) {
    if (object.kind !== 'HorizontalPodAutoscaler' && object.kind !== 'ScaledObject') return [];
    const name = dig(object, 'spec', 'scaleTargetRef', 'name');
    const workloads = ctx.workloads(object.metadata.namespace ?? 'default');
    if (workloads.length === 0) return [];
    return workloads.some((w) => w.metadata.name === name)
      ? []
      : [
          {
            message: `scaleTargetRef ${String(name)} names no workload in the namespace`,
            path: ['spec', 'scaleTargetRef'],
          },
        ];
  },
};
