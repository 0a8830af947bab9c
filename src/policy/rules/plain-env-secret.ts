/** @module Secrets come from Secrets, never as literal env values. */
import { containersOf, isWorkload, records } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath } from './helpers.js';

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY)/i;

export const plainEnvSecret: Rule = {
  id: 'plain-env-secret',
  severity: 'error',
  title: 'Secret in a plain env value',
  rationale:
    'A literal env value lives in Git, in the object and in every `kubectl get -o yaml`; anyone who reads the Deployment has the secret.',
  fix: 'Use valueFrom.secretKeyRef (in the spec: { secretRef: { name, key } } or { vault: { path, key } }).',
  check: (object) =>
    !isWorkload(object)
      ? []
      : containersOf(object).flatMap((c) =>
          records(c.container['env'])
            .map((e, i) => ({ e, i }))
            .filter(
              ({ e }) =>
                typeof e['value'] === 'string' && e['value'] !== '' && SECRET_NAME.test(String(e['name'])),
            )
            .map(({ e, i }) => ({
              message: `env ${String(e['name'])} of "${c.name}" holds a literal value`,
              path: containerPath(object, c, 'env', String(i)),
            })),
        ),
};
