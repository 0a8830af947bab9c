/** @module Shared pieces of rules: per-container checks and the paths of pod fields. */
import type { K8sObject } from '../../render/k8s-object.js';
import { type ContainerView, containersOf, dig, podTemplate } from '../../render/object-access.js';
import type { Violation } from '../rule.js';

/** Path prefix of the pod spec inside a workload. */
export function podPath(object: K8sObject): string[] {
  if (object.kind === 'Pod') return ['spec'];
  if (object.kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}

export function containerPath(object: K8sObject, c: ContainerView, ...rest: string[]): (string | number)[] {
  return [...podPath(object), c.list, c.index, ...rest];
}

/** Init containers run with the same node, image and privileges questions as the others. */
export const WITH_INIT = ['containers', 'initContainers'];

/** Runs `check` on every container (not init containers unless asked); collects the violations. */
export function eachContainer(
  object: K8sObject,
  check: (c: ContainerView) => Violation | undefined,
  lists?: string[],
): Violation[] {
  return containersOf(object, lists ?? ['containers']).flatMap((c) => {
    const v = check(c);
    return v ? [v] : [];
  });
}

/** A container's security context field, falling back to the pod's, as the kubelet resolves it. */
export function securityField(object: K8sObject, c: ContainerView, field: string): unknown {
  const own = dig(c.container, 'securityContext', field);
  if (own !== undefined) return own;
  const pod = podTemplate(object);
  return pod ? dig(pod.spec, 'securityContext', field) : undefined;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** Violations for every container whose `resources.<section>.<resource>` is unset. */
export function missingResource(
  object: K8sObject,
  section: 'requests' | 'limits',
  resource: string,
  what: string,
): Violation[] {
  return eachContainer(
    object,
    (c) =>
      dig(c.container, 'resources', section, resource) !== undefined
        ? undefined
        : { message: `container "${c.name}" has no ${what}`, path: containerPath(object, c, 'resources') },
    WITH_INIT,
  );
}
