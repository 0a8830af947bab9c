/** @module Every pod is isolated by a NetworkPolicy. */
import { isLongRunning, namespaceOf } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const networkPolicyMissing: Rule = {
  id: 'network-policy-missing',
  severity: 'warning',
  title: 'No NetworkPolicy selects the pods',
  rationale:
    'Pods no policy selects accept traffic from anywhere in the cluster; one compromised pod reaches every database.',
  fix: 'Render the namespace with Slipway (default deny plus the calls in dependsOn) or add a NetworkPolicy that selects these pods.',
  manifestFix:
    'Add a NetworkPolicy that selects these pods: a default deny for the namespace plus one allowing the callers they serve.',
  check(object, ctx) {
    if (!isLongRunning(object)) return [];
    return ctx.selecting(object, 'NetworkPolicy', ['spec', 'podSelector']).length > 0
      ? []
      : [
          {
            message: `no NetworkPolicy in namespace ${namespaceOf(object)} selects the pods of ${object.kind} ${object.metadata.name}`,
          },
        ];
  },
};
