/** @module Containers request memory. */
import { isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { missingResource } from './helpers.js';

export const memoryRequests: Rule = {
  id: 'memory-requests',
  severity: 'warning',
  title: 'Container has no memory request',
  rationale:
    'A pod without a memory request is BestEffort or Burstable at zero: the first evicted under node memory pressure.',
  fix: 'Set services.<name>.resources.requests.memory (or resources.requests.memory).',
  manifestFix: 'Set resources.requests.memory on each container.',
  check: (object) =>
    isWorkload(object) ? missingResource(object, 'requests', 'memory', 'memory request') : [],
};
