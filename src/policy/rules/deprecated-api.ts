/** @module No API versions that current Kubernetes no longer serves. */
import type { Rule } from '../rule.js';

/** apiVersion/kind → the version that replaces it and the release that removed the old one. */
const REMOVED: Record<string, [string, string]> = {
  'extensions/v1beta1/Deployment': ['apps/v1', '1.16'],
  'extensions/v1beta1/DaemonSet': ['apps/v1', '1.16'],
  'extensions/v1beta1/Ingress': ['networking.k8s.io/v1', '1.22'],
  'extensions/v1beta1/NetworkPolicy': ['networking.k8s.io/v1', '1.16'],
  'apps/v1beta1/Deployment': ['apps/v1', '1.16'],
  'apps/v1beta2/Deployment': ['apps/v1', '1.16'],
  'apps/v1beta1/StatefulSet': ['apps/v1', '1.16'],
  'networking.k8s.io/v1beta1/Ingress': ['networking.k8s.io/v1', '1.22'],
  'policy/v1beta1/PodDisruptionBudget': ['policy/v1', '1.25'],
  'policy/v1beta1/PodSecurityPolicy': ['(removed; use Pod Security Admission)', '1.25'],
  'batch/v1beta1/CronJob': ['batch/v1', '1.25'],
  'autoscaling/v2beta1/HorizontalPodAutoscaler': ['autoscaling/v2', '1.25'],
  'autoscaling/v2beta2/HorizontalPodAutoscaler': ['autoscaling/v2', '1.26'],
  'gateway.networking.k8s.io/v1alpha2/HTTPRoute': ['gateway.networking.k8s.io/v1', 'Gateway API 1.0'],
};

export const deprecatedApi: Rule = {
  id: 'deprecated-api',
  severity: 'error',
  title: 'Removed API version',
  rationale:
    'The API server of a current cluster rejects objects of API versions it no longer serves; the release fails at apply time.',
  fix: 'Migrate the object to the replacement apiVersion (kubectl convert helps).',
  check(object) {
    const removed = REMOVED[`${object.apiVersion}/${object.kind}`];
    return removed
      ? [
          {
            message: `${object.apiVersion} ${object.kind} was removed in ${removed[1]}; use ${removed[0]}`,
            path: ['apiVersion'],
          },
        ]
      : [];
  },
};
