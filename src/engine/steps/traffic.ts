/** @module Traffic steps: weights between groups, promotion of a group to stable, a group emptied. */
import { boundsOf } from '../../targets/target.js';
import { type StepExecutor, targetFor } from './step-context.js';

export const setWeights: StepExecutor<'set-weights'> = async (ctx, step) => {
  const ref = { service: step.service, cluster: step.cluster };
  await targetFor(ctx, step.cluster).ensureWeights(ref, step.weights, step.matches ?? []);
  return { result: { weights: step.weights } };
};

export const promote: StepExecutor<'promote'> = async (ctx, step) => {
  await targetFor(ctx, step.cluster).promote(
    { service: step.service, cluster: step.cluster },
    step.from,
    step.version,
    boundsOf(step),
  );
  return { result: { stable: step.version } };
};

export const scaleToZero: StepExecutor<'scale-to-zero'> = async (ctx, step) => {
  const ref = { service: step.service, cluster: step.cluster };
  const snapshot = step.restore ? ctx.snapshotOf?.(step.cluster, step.service) : undefined;
  // Undoing a first deployment: the snapshot knows which objects the release created, to delete them.
  if (snapshot) await targetFor(ctx, step.cluster).restore(ref, snapshot);
  else await targetFor(ctx, step.cluster).scaleToZero(ref, step.group);
  return snapshot ? { result: { restored: true } } : {};
};

export const recordVersion: StepExecutor<'record-version'> = async (_ctx, step) => ({
  result: { version: step.version },
});
