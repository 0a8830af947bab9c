/** @module No dangerous added capabilities; NET_RAW (or ALL) is dropped. */
import { dig, isWorkload } from '../../render/object-access.js';
import type { Rule, Violation } from '../rule.js';
import { containerPath, WITH_INIT } from './helpers.js';
import { containersOf } from '../../render/object-access.js';

const DANGEROUS = new Set([
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'DAC_READ_SEARCH',
  'BPF',
  'PERFMON',
  'SYS_RAWIO',
]);
const strip = (c: unknown) => String(c).toUpperCase().replace(/^CAP_/, '');

export const dangerousCapabilities: Rule = {
  id: 'dangerous-capabilities',
  severity: 'error',
  title: 'Dangerous capability added, or NET_RAW not dropped',
  rationale:
    'SYS_ADMIN and friends are near-root on the node; NET_RAW, granted by default, allows ARP and DNS spoofing inside the cluster network.',
  fix: 'Drop ALL capabilities (Slipway renders capabilities.drop: [ALL]) and add back only what is needed, never SYS_ADMIN; suppress with the reason for CNI agents.',
  check(object) {
    if (!isWorkload(object)) return [];
    const out: Violation[] = [];
    for (const c of containersOf(object, WITH_INIT)) {
      const add = dig(c.container, 'securityContext', 'capabilities', 'add');
      const drop = dig(c.container, 'securityContext', 'capabilities', 'drop');
      const added = (Array.isArray(add) ? add : []).map(strip).filter((cap) => DANGEROUS.has(cap));
      if (added.length > 0)
        out.push({
          message: `container "${c.name}" adds ${added.join(', ')}`,
          path: containerPath(object, c, 'securityContext', 'capabilities', 'add'),
        });
      const dropped = (Array.isArray(drop) ? drop : []).map(strip);
      if (!dropped.includes('ALL') && !dropped.includes('NET_RAW'))
        out.push({
          message: `container "${c.name}" does not drop NET_RAW (or ALL)`,
          path: containerPath(object, c),
        });
    }
    return out;
  },
};
