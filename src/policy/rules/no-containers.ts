/** @module A workload's pod template exists and runs at least one container. */
import { isWorkload, podTemplate, records } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { podPath } from './helpers.js';

export const noContainers: Rule = {
  id: 'no-containers',
  severity: 'error',
  title: 'Workload has no pod template or no containers',
  rationale:
    'The API server refuses a workload without a pod spec or without containers: the apply fails, and every other rule has nothing to check, so it would otherwise pass silently.',
  fix: 'Give the pod template at least one container (a value that emptied the list, in Helm or kustomize, is the usual cause).',
  check(object) {
    if (!isWorkload(object)) return [];
    const pod = podTemplate(object);
    if (!pod)
      return [{ message: `${object.kind} ${object.metadata.name} has no pod template spec`, path: ['spec'] }];
    if (records(pod.spec['containers']).length > 0) return [];
    return [{ message: 'the pod template has no containers', path: [...podPath(object), 'containers'] }];
  },
};
