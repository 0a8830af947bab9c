/** @module Every serving container has a readiness probe. */
import { isLongRunning } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer } from './helpers.js';

export const readinessProbe: Rule = {
  id: 'readiness-probe',
  severity: 'error',
  title: 'Container has no readiness probe',
  rationale:
    'Without a readiness probe a pod receives traffic as soon as its process starts, before it can serve; every rollout then drops requests.',
  fix: 'Set services.<name>.health.readiness (rendered) or containers[].readinessProbe to an endpoint that answers only when the pod can serve.',
  manifestFix: 'Add containers[].readinessProbe on an endpoint that answers only when the pod can serve.',
  check: (object) =>
    !isLongRunning(object)
      ? []
      : eachContainer(object, (c) =>
          c.container['readinessProbe']
            ? undefined
            : { message: `container "${c.name}" has no readinessProbe`, path: containerPath(object, c) },
        ),
};
