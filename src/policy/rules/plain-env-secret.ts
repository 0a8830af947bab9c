/** @module Secrets come from Secrets, never as literal env values. */
import { containersOf, isWorkload, records } from '../../render/object-access.js';
import { isSecretName, secretValueKind } from '../../security/secret-heuristic.js';
import type { Rule } from '../rule.js';
import { containerPath } from './helpers.js';

export const plainEnvSecret: Rule = {
  id: 'plain-env-secret',
  severity: 'error',
  title: 'Secret in a plain env value',
  rationale:
    'A literal env value lives in Git, in the object and in every `kubectl get -o yaml`; anyone who reads the Deployment has the secret.',
  fix: 'Use valueFrom.secretKeyRef (in the spec: { secretRef: { name, key } } or { vault: { path, key } }).',
  manifestFix:
    'Use env[].valueFrom.secretKeyRef to a Secret (or one an external-secrets or CSI driver syncs) instead of value.',
  check: (object) =>
    !isWorkload(object)
      ? []
      : containersOf(object).flatMap((c) =>
          records(c.container['env'])
            .map((e, i) => ({ e, i }))
            .filter(
              ({ e }) =>
                typeof e['value'] === 'string' &&
                e['value'] !== '' &&
                (isSecretName(String(e['name'])) || secretValueKind(e['value']) !== undefined),
            )
            .map(({ e, i }) => ({
              message: `env ${String(e['name'])} of "${c.name}" holds a literal value${secretValueKind(String(e['value'])) ? ` (${secretValueKind(String(e['value']))})` : ''}`,
              path: containerPath(object, c, 'env', String(i)),
            })),
        ),
};
