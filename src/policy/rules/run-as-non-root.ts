/** @module Containers run as a non-root user. */
import { isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer, isTrue, securityField } from './helpers.js';

export const runAsNonRoot: Rule = {
  id: 'run-as-non-root',
  severity: 'warning',
  title: 'Container may run as root',
  rationale: 'A process running as UID 0 that escapes its container is root on the node.',
  fix: 'Set services.<name>.security.runAsNonRoot: true (and runAsUser) or securityContext.runAsNonRoot; images that start as root (postgres, redis) need a non-root variant or a suppression with the reason.',
  manifestFix:
    'Set securityContext.runAsNonRoot: true (and runAsUser); images that start as root need a non-root variant or a suppression annotation with the reason.',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(object, (c) => {
          const user = securityField(object, c, 'runAsUser');
          // The root group reads and writes what root's group owns on the node's files, whatever the user.
          if (securityField(object, c, 'runAsGroup') === 0)
            return {
              message: `container "${c.name}" runs with the root group (runAsGroup: 0)`,
              path: containerPath(object, c),
            };
          if (isTrue(securityField(object, c, 'runAsNonRoot')) || (typeof user === 'number' && user > 0))
            return undefined;
          return {
            message: `container "${c.name}" does not set runAsNonRoot or a non-zero runAsUser`,
            path: containerPath(object, c),
          };
        }),
};
