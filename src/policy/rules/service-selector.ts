/** @module A Service selects some workload's pods. */
import { dig, podLabels, selectorMatches, stringMap } from '../../render/object-access.js';
import { operatorPodLabels } from '../operator-pods.js';
import type { Rule } from '../rule.js';

export const serviceSelector: Rule = {
  id: 'service-selector',
  severity: 'error',
  title: 'Service selects no pods',
  rationale:
    'A Service whose selector matches no pod template has no endpoints: every call to it fails, usually after a label rename.',
  fix: 'Make spec.selector match the pod template labels of the workload it fronts (pods an operator creates from a custom resource in the same files count).',
  check(object, ctx) {
    if (object.kind !== 'Service') return [];
    const selector = stringMap(dig(object, 'spec', 'selector'));
    if (Object.keys(selector).length === 0 || dig(object, 'spec', 'type') === 'ExternalName') return [];
    const namespace = object.metadata.namespace ?? 'default';
    const workloads = ctx.workloads(namespace);
    // Only judge when the run holds the namespace's workloads (a lone Service file proves nothing).
    if (workloads.length === 0) return [];
    const matches = (labels: Record<string, string>) => selectorMatches({ matchLabels: selector }, labels);
    if (workloads.some((w) => matches(podLabels(w)))) return [];
    // Pods an operator makes from a custom resource in the same files count too.
    return ctx.all(namespace).some((o) => operatorPodLabels(o).some(matches))
      ? []
      : [
          {
            message: `selector ${JSON.stringify(selector)} matches no workload in namespace ${namespace}`,
            path: ['spec', 'selector'],
          },
        ];
  },
};
