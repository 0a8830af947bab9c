/** @module A liveness probe is not a copy of the readiness probe. */
import { isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer } from './helpers.js';

export const livenessEqualsReadiness: Rule = {
  id: 'liveness-equals-readiness',
  severity: 'warning',
  title: 'Liveness probe identical to readiness probe',
  rationale:
    'When liveness checks exactly what readiness checks, a pod that is only busy (readiness failing, as it should under overload) is also restarted: overload turns into a restart storm and an outage.',
  fix: 'Give liveness its own cheaper endpoint (is the process alive?) or a much higher failureThreshold than readiness.',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(object, (c) => {
          const r = c.container['readinessProbe'];
          const l = c.container['livenessProbe'];
          return r && l && JSON.stringify(r) === JSON.stringify(l)
            ? {
                message: `livenessProbe of "${c.name}" is identical to its readinessProbe`,
                path: containerPath(object, c, 'livenessProbe'),
              }
            : undefined;
        }),
};
