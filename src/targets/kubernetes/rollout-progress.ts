/**
 * @module Where a workload's rollout stands, read as `kubectl rollout status` reads it (observedGeneration,
 * updated / ready / available replicas, the Progressing condition), plus the pods of the new template
 * that cannot become ready: CrashLoopBackOff, ImagePullBackOff, ErrImagePull and the like, named with the
 * container's last termination reason and exit code.
 */
import type { ErrorCode } from '../../errors/index.js';
import type { V1Pod } from '@kubernetes/client-node';
import type { K8sObject } from '../../render/k8s-object.js';

export interface RolloutProgress {
  done: boolean;
  desired: number;
  updated: number;
  ready: number;
  /** What it waits for, as kubectl says it. */
  waiting: string;
  failure?: { code: ErrorCode; message: string };
}

/** Waiting reasons that will not resolve by waiting. */
const STUCK = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

type Status = Record<string, unknown> & {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
};
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export function workloadProgress(live: K8sObject): RolloutProgress {
  const spec = (live['spec'] ?? {}) as Record<string, unknown>;
  const status = (live['status'] ?? {}) as Status;
  const generation = num((live.metadata as { generation?: number }).generation);
  const observed = num(status['observedGeneration']);
  const desired =
    live.kind === 'DaemonSet'
      ? num(status['desiredNumberScheduled'])
      : typeof spec['replicas'] === 'number'
        ? spec['replicas']
        : 1;
  const updated = num(
    live.kind === 'DaemonSet' ? status['updatedNumberScheduled'] : status['updatedReplicas'],
  );
  const ready = num(
    live.kind === 'DaemonSet'
      ? status['numberAvailable']
      : live.kind === 'StatefulSet'
        ? status['readyReplicas']
        : status['availableReplicas'],
  );
  const total = num(live.kind === 'DaemonSet' ? status['currentNumberScheduled'] : status['replicas']);
  const base = { desired, updated, ready };
  if (observed < generation)
    return { ...base, done: false, waiting: 'waiting for the rollout to be observed' };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return {
      ...base,
      done: false,
      waiting: 'past its progress deadline',
      failure: {
        code: 'KUBE_PROGRESS_DEADLINE',
        message: `${live.kind} ${live.metadata.name} exceeded its progress deadline (${updated} of ${desired} updated, ${ready} available)`,
      },
    };
  if (updated < desired)
    return { ...base, done: false, waiting: `${updated} of ${desired} updated replicas` };
  if (total > updated)
    return { ...base, done: false, waiting: `${total - updated} old replicas are pending termination` };
  if (ready < updated)
    return { ...base, done: false, waiting: `${ready} of ${updated} updated replicas are available` };
  if (
    live.kind === 'StatefulSet' &&
    status['updateRevision'] &&
    status['currentRevision'] !== status['updateRevision']
  )
    return { ...base, done: false, waiting: 'waiting for the partitioned roll out' };
  return { ...base, done: true, waiting: '' };
}

/** The first pod of the new image that is stuck, with its container's reason, message and last exit. */
export function stuckPod(
  pods: V1Pod[],
  image: string | undefined,
): { code: ErrorCode; message: string } | undefined {
  for (const pod of pods) {
    for (const c of pod.status?.containerStatuses ?? []) {
      if (image && c.image !== image && pod.spec?.containers.find((s) => s.name === c.name)?.image !== image)
        continue;
      const reason = c.state?.waiting?.reason;
      if (!reason || !STUCK.has(reason)) continue;
      const last = c.lastState?.terminated;
      const exit = last ? `; last exit: ${last.reason ?? 'terminated'} with exit code ${last.exitCode}` : '';
      const restarts = c.restartCount ? `, ${c.restartCount} restarts` : '';
      return {
        code: reason === 'CrashLoopBackOff' ? 'KUBE_CRASH_LOOP' : 'KUBE_POD_STUCK',
        message: `pod ${pod.metadata?.name} container ${c.name} is in ${reason}${restarts}${exit}${c.state?.waiting?.message ? ` (${c.state.waiting.message})` : ''}`,
      };
    }
  }
  return undefined;
}
