/** @module A seccomp profile is set. */
import { isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer, securityField } from './helpers.js';

export const seccompProfile: Rule = {
  id: 'seccomp-profile',
  severity: 'warning',
  title: 'No seccomp profile',
  rationale:
    'Without a seccomp profile the container may use every system call, including those behind most container escapes.',
  fix: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod (Slipway renders it by default).',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(object, (c) => {
          const profile = securityField(object, c, 'seccompProfile') as { type?: string } | undefined;
          return profile?.type && profile.type !== 'Unconfined'
            ? undefined
            : { message: `container "${c.name}" has no seccomp profile`, path: containerPath(object, c) };
        }),
};
