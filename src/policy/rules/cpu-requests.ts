/** @module Containers request CPU. */
import { isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { missingResource } from './helpers.js';

export const cpuRequests: Rule = {
  id: 'cpu-requests',
  severity: 'warning',
  title: 'Container has no CPU request',
  rationale:
    'Without a CPU request the scheduler packs the pod anywhere and the HPA cannot compute utilisation; the pod is first to starve under contention.',
  fix: 'Set services.<name>.resources.requests.cpu (or resources.requests.cpu) to the measured typical use.',
  manifestFix: 'Set resources.requests.cpu on each container to its measured typical use.',
  check: (object) => (isWorkload(object) ? missingResource(object, 'requests', 'cpu', 'CPU request') : []),
};
