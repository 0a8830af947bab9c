/** @module Deployments update by rolling, not by recreating. */
import { dig } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const rollingUpdateStrategy: Rule = {
  id: 'rolling-update-strategy',
  severity: 'warning',
  title: 'Deployment recreates its pods on update',
  rationale: 'The Recreate strategy stops every old pod before starting new ones: each release is an outage.',
  fix: 'Use strategy.type: RollingUpdate with maxUnavailable 0 and maxSurge 1 (Slipway renders this).',
  check: (object) =>
    object.kind === 'Deployment' && dig(object, 'spec', 'strategy', 'type') === 'Recreate'
      ? [{ message: 'strategy.type is Recreate', path: ['spec', 'strategy', 'type'] }]
      : [],
};
