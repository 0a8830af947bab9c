/** @module Deployments update by rolling, not by recreating. */
import { dig } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const rollingUpdateStrategy: Rule = {
  id: 'rolling-update-strategy',
  severity: 'warning',
  title: 'Deployment does not roll its pods on update',
  rationale:
    'The Recreate strategy stops every old pod before starting new ones: each release is an outage (and a type the API does not know is refused).',
  fix: 'Use strategy.type: RollingUpdate with maxUnavailable 0 and maxSurge 1 (Slipway renders this).',
  check(object) {
    // Unset, the API server defaults to rolling; DeploymentConfig (OpenShift) calls it Rolling.
    const rolling = object.kind === 'Deployment' ? 'RollingUpdate' : 'Rolling';
    if (object.kind !== 'Deployment' && object.kind !== 'DeploymentConfig') return [];
    const type = dig(object, 'spec', 'strategy', 'type');
    return type === undefined || type === rolling
      ? []
      : [{ message: `strategy.type is ${String(type)}, not ${rolling}`, path: ['spec', 'strategy', 'type'] }];
  },
};
