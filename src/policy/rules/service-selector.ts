/** @module A Service selects some workload's pods. */
import { dig, podLabels, selectorMatches, stringMap } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const serviceSelector: Rule = {
  id: 'service-selector',
  severity: 'error',
  title: 'Service selects no pods',
  rationale:
    'A Service whose selector matches no pod template has no endpoints: every call to it fails, usually after a label rename.',
  fix: 'Make spec.selector match the pod template labels of the workload it fronts.',
  check(object, ctx) {
    if (object.kind !== 'Service') return [];
    const selector = stringMap(dig(object, 'spec', 'selector'));
    if (Object.keys(selector).length === 0 || dig(object, 'spec', 'type') === 'ExternalName') return [];
    const namespace = object.metadata.namespace ?? 'default';
    const workloads = ctx.workloads(namespace);
    // Only judge when the run holds the namespace's workloads (a lone Service file proves nothing).
    if (workloads.length === 0) return [];
    return workloads.some((w) => selectorMatches({ matchLabels: selector }, podLabels(w)))
      ? []
      : [
          {
            message: `selector ${JSON.stringify(selector)} matches no workload in namespace ${namespace}`,
            path: ['spec', 'selector'],
          },
        ];
  },
};
