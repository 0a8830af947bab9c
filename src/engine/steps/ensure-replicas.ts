/** @module A group runs N replicas of a version — or, in a rollback, what the release's snapshot held. */
import { boundsOf } from '../../targets/target.js';
import { type StepExecutor, targetFor } from './step-context.js';

export const ensureReplicas: StepExecutor<'ensure-replicas'> = async (ctx, step) => {
  const ref = { service: step.service, cluster: step.cluster };
  const request = {
    group: step.group,
    version: step.version,
    replicas: step.replicas,
    deadlineMs: step.deadlineMs,
    ...boundsOf(step),
  };
  const snapshot = step.restore ? ctx.snapshotOf?.(step.cluster, step.service) : undefined;
  const target = targetFor(ctx, step.cluster);
  const status = snapshot
    ? await target.restore(ref, snapshot, request)
    : await target.ensureReplicas(ref, request);
  return {
    result: {
      ready: status?.ready ?? 0,
      versions: status?.versions ?? [],
      ...(snapshot ? { restored: true } : {}),
    },
  };
};
