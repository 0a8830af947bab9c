/** @module Replicas are spread over nodes or zones. */
import { dig, podTemplate, replicasOf } from '../../render/object-access.js';
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
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
    const pod = podTemplate(object);
    if (!pod || replicasOf(object) < 2) return [];
    const spread =
      Array.isArray(pod.spec['topologySpreadConstraints']) &&
      pod.spec['topologySpreadConstraints'].length > 0;
    const anti = dig(pod.spec, 'affinity', 'podAntiAffinity') !== undefined;
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
