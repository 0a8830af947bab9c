/** @module No host network, PID or IPC namespace. */
import { isWorkload, podTemplate } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { isTrue, podPath } from './helpers.js';

export const hostNamespaces: Rule = {
  id: 'host-namespaces',
  severity: 'error',
  title: 'Pod shares a host namespace',
  rationale:
    'hostNetwork bypasses every NetworkPolicy and exposes node-local services; hostPID and hostIPC let the pod see and signal host processes.',
  fix: 'Remove hostNetwork/hostPID/hostIPC; expose the service through a Service instead. Suppress with the reason for CNI and mesh agents.',
  check(object) {
    const pod = podTemplate(object);
    if (!isWorkload(object) || !pod) return [];
    return ['hostNetwork', 'hostPID', 'hostIPC']
      .filter((field) => isTrue(pod.spec[field]))
      .map((field) => ({ message: `pod sets ${field}: true`, path: [...podPath(object), field] }));
  },
};
