/** @module Containers have a read-only root filesystem. */
import { dig, isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer, isTrue } from './helpers.js';

export const readOnlyRootFilesystem: Rule = {
  id: 'read-only-root-filesystem',
  severity: 'warning',
  title: 'Root filesystem is writable',
  rationale:
    'A writable root filesystem lets an attacker persist binaries and lets the app fill the node disk outside any volume limit.',
  fix: 'Set services.<name>.security.readOnlyRootFilesystem: true and mount an emptyDir where the app writes (e.g. /tmp).',
  manifestFix:
    'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes (e.g. /tmp).',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(object, (c) =>
          isTrue(dig(c.container, 'securityContext', 'readOnlyRootFilesystem'))
            ? undefined
            : {
                message: `container "${c.name}" has a writable root filesystem`,
                path: containerPath(object, c),
              },
        ),
};
