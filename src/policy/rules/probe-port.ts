/** @module Probes point at a port the container declares, and liveness is not a copy of readiness. */
import { dig, isWorkload, records } from '../../render/object-access.js';
import type { Rule, Violation } from '../rule.js';
import { containerPath } from './helpers.js';
import { containersOf } from '../../render/object-access.js';

export const probePort: Rule = {
  id: 'probe-port',
  severity: 'error',
  title: 'Probe targets an undeclared port, or liveness equals readiness',
  rationale:
    'A probe on a port the container does not declare (or a misspelt named port) fails forever; a liveness probe identical to readiness restarts pods that are only busy, turning overload into an outage.',
  fix: 'Use a port listed in containers[].ports (by name or number); give liveness its own cheaper endpoint or a higher failureThreshold.',
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
      const r = c.container['readinessProbe'];
      const l = c.container['livenessProbe'];
      if (r && l && JSON.stringify(r) === JSON.stringify(l))
        out.push({
          message: `livenessProbe of "${c.name}" is identical to its readinessProbe`,
          path: containerPath(object, c, 'livenessProbe'),
        });
    }
    return out;
  },
};
