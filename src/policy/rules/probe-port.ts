/**
 * @module A probe's *named* port is one the container declares. A number needs no declaration
 * (containerPort is informational: the kubelet probes the number whatever the list says), as in
 * kube-linter's liveness-port/readiness-port.
 */
import { containersOf, dig, isWorkload, records } from '../../render/object-access.js';
import type { Rule, Violation } from '../rule.js';
import { containerPath } from './helpers.js';

export const probePort: Rule = {
  id: 'probe-port',
  severity: 'error',
  title: 'Probe targets an undeclared named port',
  rationale:
    'A probe on a port name the container does not declare (often a misspelling) fails forever: the pod never becomes ready, or is restarted in a loop.',
  fix: 'Name a port listed in containers[].ports, or give the port number.',
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
        if (typeof port !== 'string' || /^\d+$/.test(port)) continue;
        const named = ports.find((p) => p['name'] === port);
        // Every probe speaks TCP: a named UDP or SCTP port is never answered.
        const protocol = String(named?.['protocol'] ?? 'TCP');
        if (!named || protocol !== 'TCP')
          out.push({
            message: named
              ? `${kind} of "${c.name}" targets the port named "${port}", which is ${protocol}: probes speak TCP`
              : `${kind} of "${c.name}" targets the port named "${port}", which the container does not declare`,
            path: containerPath(object, c, kind),
          });
      }
    }
    return out;
  },
};
