/** @module Objects do not live in the default namespace. */
import type { Rule } from '../rule.js';

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterIssuer',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'GatewayClass',
]);

export const defaultNamespace: Rule = {
  id: 'default-namespace',
  severity: 'info',
  title: 'Object in the default namespace',
  rationale:
    'The default namespace has no quotas, policies or ownership of its own; objects there collide and escape per-team rules.',
  fix: 'Set a namespace (environments.<env>.namespace or services.<name>.namespace in the spec).',
  check(object) {
    if (CLUSTER_SCOPED.has(object.kind)) return [];
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
