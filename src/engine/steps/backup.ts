/** @module Backup: what runs in an environment before it changes — the desired state, and a snapshot per touched service. */
import { type StepExecutor, targetFor } from './step-context.js';

export const backup: StepExecutor<'backup'> = async (ctx, step) => {
  const clusters = Object.keys(ctx.spec.environments[step.environment]?.clusters ?? {});
  const desired = (await ctx.store.desiredState()).filter((d) => clusters.includes(d.cluster));
  const snapshots = [];
  for (const t of step.touches ?? []) {
    const ref = { service: t.service, cluster: t.cluster };
    snapshots.push({ ...ref, snapshot: await targetFor(ctx, t.cluster).snapshot(ref, t.version) });
  }
  return { result: { backup: desired, ...(snapshots.length ? { snapshots } : {}) } };
};
