/** @module Objects do not live in the default namespace. */
import { isClusterScoped } from '../../render/object-access.js';
import type { Rule } from '../rule.js';

export const defaultNamespace: Rule = {
  id: 'default-namespace',
  severity: 'info',
  title: 'Object in the default namespace',
  rationale:
    'The default namespace has no quotas, policies or ownership of its own; objects there collide and escape per-team rules.',
  fix: 'Set a namespace (environments.<env>.namespace or services.<name>.namespace in the spec).',
  manifestFix: 'Set metadata.namespace to a namespace of its own (or apply with -n / lint with --namespace).',
  check(object) {
    if (isClusterScoped(object)) return [];
    return object.metadata.namespace === 'default'
      ? [
          {
            message: `${object.kind} ${object.metadata.name} is in the default namespace`,
            path: ['metadata', 'namespace'],
          },
        ]
      : [];
  },
};
