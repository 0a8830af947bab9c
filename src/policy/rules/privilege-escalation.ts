/** @module allowPrivilegeEscalation is off. */
import { dig, isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer, WITH_INIT } from './helpers.js';

export const privilegeEscalation: Rule = {
  id: 'privilege-escalation',
  severity: 'warning',
  title: 'Privilege escalation allowed',
  rationale:
    'Unless set to false, setuid binaries in the image can gain more privileges than the process started with.',
  fix: 'Set securityContext.allowPrivilegeEscalation: false (Slipway renders it by default).',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(
          object,
          (c) =>
            dig(c.container, 'securityContext', 'allowPrivilegeEscalation') === false
              ? undefined
              : {
                  message: `container "${c.name}" does not set allowPrivilegeEscalation: false`,
                  path: containerPath(object, c),
                },
          WITH_INIT,
        ),
};
