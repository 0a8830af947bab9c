/** @module Containers request memory. */
import { dig, isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer } from './helpers.js';

export const memoryRequests: Rule = {
  id: 'memory-requests',
  severity: 'warning',
  title: 'Container has no memory request',
  rationale:
    'A pod without a memory request is BestEffort or Burstable at zero: the first evicted under node memory pressure.',
  fix: 'Set services.<name>.resources.requests.memory (or resources.requests.memory).',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(object, (c) =>
          dig(c.container, 'resources', 'requests', 'memory') !== undefined
            ? undefined
            : {
                message: `container "${c.name}" has no memory request`,
                path: containerPath(object, c, 'resources'),
              },
        ),
};
