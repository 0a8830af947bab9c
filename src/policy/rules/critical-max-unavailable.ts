/** @module A service marked critical never loses capacity during a rollout. */
import { ANNOTATION } from '../../render/k8s-object.js';
import { dig } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const criticalMaxUnavailable: Rule = {
  id: 'critical-max-unavailable',
  severity: 'error',
  title: 'Critical service may lose capacity during a rollout',
  rationale:
    'A service marked critical (services.<name>.critical, annotation slipway.dev/critical) must surge new pods before removing old ones; maxUnavailable > 0 removes capacity first.',
  fix: 'Set strategy.rollingUpdate.maxUnavailable: 0 and maxSurge ≥ 1 (Slipway renders this for critical services).',
  check(object) {
    if (object.kind !== 'Deployment' || object.metadata.annotations?.[ANNOTATION.critical] !== 'true')
      return [];
    if (dig(object, 'spec', 'strategy', 'type') === 'Recreate')
      return [{ message: 'critical service uses the Recreate strategy', path: ['spec', 'strategy'] }];
    // The API server defaults maxUnavailable to 25%.
    const value = dig(object, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable') ?? '25%';
    return value === 0 || value === '0%'
      ? []
      : [{ message: `critical service has maxUnavailable ${String(value)}`, path: ['spec', 'strategy'] }];
  },
};
