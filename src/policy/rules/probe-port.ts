/** @module Probes point at a port the container declares. */
import { containersOf, dig, isWorkload, records } from '../../render/object-access.js';
import type { Rule, Violation } from '../rule.js';
import { containerPath } from './helpers.js';

export const probePort: Rule = {
  id: 'probe-port',
  severity: 'error',
  title: 'Probe targets an undeclared port',
  rationale:
    'A probe on a port the container does not declare (or a misspelt named port) fails forever: the pod never becomes ready, or is restarted in a loop.',
  fix: 'Use a port listed in containers[].ports, by name or number.',
  check(object) {
    if (!isWorkload(object)) return [];
    const out: Violation[] = [];
    for (const c of containersOf(object, ['containers'])) {
      const ports = records(c.container['ports']);
      for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const port =
          dig(c.container, kind, 'httpGet', 'port') ??
          dig(c.container, kind, 'tcpSocket', 'port') ??
          dig(c.container, kind, 'grpc', 'port');
        if (port === undefined || ports.length === 0) continue;
        const known = ports.some((p) => p['containerPort'] === port || p['name'] === port);
        if (!known)
          out.push({
            message: `${kind} of "${c.name}" targets port ${String(port)}, which the container does not declare`,
            path: containerPath(object, c, kind),
          });
      }
    }
    return out;
  },
};
