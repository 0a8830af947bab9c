/** @module The API token is not mounted into pods that do not call the API. */
import { isWorkload, podTemplate } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { podPath } from './helpers.js';

export const serviceAccountToken: Rule = {
  id: 'service-account-token',
  severity: 'info',
  title: 'Service account token automounted',
  rationale:
    "Every compromised pod with a mounted token can call the Kubernetes API with its service account's rights.",
  fix: 'Set automountServiceAccountToken: false (Slipway renders it), or true where the workload talks to the API server.',
  check(object) {
    const pod = podTemplate(object);
    // Explicitly true is a decision (the workload calls the API server), not an oversight.
    if (!isWorkload(object) || !pod || pod.spec['automountServiceAccountToken'] !== undefined) return [];
    return [
      {
        message: 'the service account token is mounted by default (automountServiceAccountToken is not set)',
        path: podPath(object),
      },
    ];
  },
};
