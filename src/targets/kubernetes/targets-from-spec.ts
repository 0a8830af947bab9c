/** @module A Kubernetes target for every cluster of the spec written `kubernetes: { context }`. */
import type { Platform } from '../../spec/schema/platform.js';
import { KubernetesTarget, type KubernetesTargetOptions } from './kubernetes-target.js';

export function kubernetesTargets(
  spec: Platform,
  options: Omit<KubernetesTargetOptions, 'cluster' | 'spec' | 'context'> = {},
): Map<string, KubernetesTarget> {
  const targets = new Map<string, KubernetesTarget>();
  for (const env of Object.values(spec.environments))
    for (const [cluster, c] of Object.entries(env.clusters))
      if (c.kubernetes && !targets.has(cluster))
        targets.set(
          cluster,
          new KubernetesTarget({ ...options, cluster, spec, context: c.kubernetes.context }),
        );
  return targets;
}
