/** @module Replicas are spread over nodes or zones. */
import type { K8sObject } from '../../render/k8s-object.js';
import { dig, namespaceOf, podTemplate, records, replicasOf } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { podPath } from './helpers.js';

export const antiAffinity: Rule = {
  id: 'anti-affinity',
  severity: 'warning',
  title: 'Replicas are not spread',
  rationale:
    'Without pod anti-affinity or topology spread the scheduler may put every replica on one node, which then takes the whole service down.',
  fix: 'Add topologySpreadConstraints over kubernetes.io/hostname and topology.kubernetes.io/zone (Slipway renders them for 2+ replicas) or podAntiAffinity.',
  check(object) {
    if (!['Deployment', 'StatefulSet', 'DeploymentConfig'].includes(object.kind)) return [];
    const pod = podTemplate(object);
    if (!pod || replicasOf(object) < 2) return [];
    const spread =
      Array.isArray(pod.spec['topologySpreadConstraints']) &&
      pod.spec['topologySpreadConstraints'].length > 0;
    const anti = antiAffinityTerms(pod.spec).some((term) => appliesToOwnNamespace(term, object));
    return spread || anti
      ? []
      : [
          {
            message: `${replicasOf(object)} replicas with no anti-affinity or topology spread`,
            path: podPath(object),
          },
        ];
  },
};

function antiAffinityTerms(spec: Record<string, unknown>): Record<string, unknown>[] {
  const anti = dig(spec, 'affinity', 'podAntiAffinity');
  return [
    ...records(dig(anti, 'requiredDuringSchedulingIgnoredDuringExecution')),
    ...records(dig(anti, 'preferredDuringSchedulingIgnoredDuringExecution')).map(
      (w) => (dig(w, 'podAffinityTerm') ?? {}) as Record<string, unknown>,
    ),
  ];
}

/** A term spreads the workload's own replicas only if it looks in their namespace (the default). */
function appliesToOwnNamespace(term: Record<string, unknown>, object: K8sObject): boolean {
  const namespaces = term['namespaces'];
  if (!Array.isArray(namespaces) || namespaces.length === 0 || term['namespaceSelector'] !== undefined)
    return true;
  return namespaces.includes(namespaceOf(object));
}
