/** @module Every long-running container has a liveness probe. */
import { isLongRunning } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer } from './helpers.js';

export const livenessProbe: Rule = {
  id: 'liveness-probe',
  severity: 'warning',
  title: 'Container has no liveness probe',
  rationale: 'A deadlocked process that keeps its port open is never restarted without a liveness probe.',
  fix: 'Set services.<name>.health.liveness or containers[].livenessProbe; keep it cheaper and more lenient than readiness.',
  manifestFix: 'Add containers[].livenessProbe, cheaper and more lenient than the readiness probe.',
  check: (object) =>
    !isLongRunning(object)
      ? []
      : eachContainer(object, (c) =>
          c.container['livenessProbe']
            ? undefined
            : { message: `container "${c.name}" has no livenessProbe`, path: containerPath(object, c) },
        ),
};
