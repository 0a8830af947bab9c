/** @module No hostPort. */
import { containersOf, isWorkload, records } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath } from './helpers.js';

export const hostPort: Rule = {
  id: 'host-port',
  severity: 'warning',
  title: 'Container binds a hostPort',
  rationale:
    'A hostPort limits the workload to one pod per node, blocks surge during rollouts and opens a port on the node outside NetworkPolicies.',
  fix: 'Remove hostPort; reach the pod through a Service.',
  check: (object) =>
    !isWorkload(object)
      ? []
      : containersOf(object, ['containers']).flatMap((c) =>
          records(c.container['ports'])
            .map((p, i) => ({ p, i }))
            .filter(({ p }) => p['hostPort'] !== undefined)
            .map(({ p, i }) => ({
              message: `container "${c.name}" binds hostPort ${String(p['hostPort'])}`,
              path: containerPath(object, c, 'ports', String(i)),
            })),
        ),
};
