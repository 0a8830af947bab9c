/** @module No privileged containers. */
import { dig, isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer, isTrue, WITH_INIT } from './helpers.js';

export const privileged: Rule = {
  id: 'privileged',
  severity: 'error',
  title: 'Privileged container',
  rationale: 'A privileged container has every capability and the host devices: it is the node.',
  fix: 'Remove privileged: true; add the one capability the workload needs instead (and suppress with the reason if it is a CNI or storage driver).',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(
          object,
          (c) =>
            isTrue(dig(c.container, 'securityContext', 'privileged'))
              ? {
                  message: `container "${c.name}" is privileged`,
                  path: containerPath(object, c, 'securityContext', 'privileged'),
                }
              : undefined,
          WITH_INIT,
        ),
};
