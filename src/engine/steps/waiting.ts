/**
 * @module Waiting steps, watching the release's log: an approval gate (enough distinct approvers), a pause
 * (timed, or until `slipway promote`), a bake between waves. A wait resumed after a restart counts from
 * the step's first start.
 */
import type { Evidence } from '../events.js';
import type { ReleaseState } from '../state.js';
import {
  type StepContext,
  type StepExecutor,
  type StepOutcome,
  type WaitHost,
  waitHost,
} from './step-context.js';

/** Polls the log until `done` says so, or a person aborts. */
async function waitUntil(
  ctx: StepContext,
  host: WaitHost,
  done: (state: ReleaseState) => StepOutcome | undefined,
): Promise<StepOutcome> {
  for (;;) {
    host.checkStillOwner();
    const state = await host.state();
    if (state.abort) {
      host.aborted();
      return {};
    }
    if (host.interrupted()) return {};
    const outcome = done(state);
    if (outcome) return outcome;
    await ctx.clock.sleep(host.pollMs);
  }
}

export const approval: StepExecutor<'approval'> = async (ctx, step) => {
  const host = waitHost(ctx);
  await host.notifyApprovalNeeded(step.environment);
  host.log(`… ${step.id} waiting for ${step.approvals} approval(s): slipway approve ${host.releaseId}`);
  return waitUntil(ctx, host, (state) => {
    const by = [...(state.approvals.get(step.environment) ?? [])];
    const evidence: Evidence = { verdict: 'pass', summary: `approved by ${by.join(', ')}`, approvers: by };
    if (by.length >= step.approvals) return { evidence };
    if (step.timeoutMs !== undefined && ctx.clock.now() - host.startedAt >= step.timeoutMs)
      return {
        evidence: {
          verdict: 'fail',
          summary: `${by.length} of ${step.approvals} approval(s)${step.role ? ` by ${step.role}` : ''} within ${Math.round(step.timeoutMs / 1000)} s${by.length ? ` (${by.join(', ')})` : ''}: the approval timed out`,
          approvers: by,
        },
      };
    return undefined;
  });
};

export const pause: StepExecutor<'pause'> = async (ctx, step) => {
  const host = waitHost(ctx);
  if (step.untilPromoted) {
    const atMost = step.durationMs; // autoPromote: a duration — on by itself after it
    const limit = atMost === undefined ? '' : ` (or on by itself after ${Math.round(atMost / 1000)} s)`;
    host.log(`… ${step.id} paused: slipway promote ${host.releaseId}${limit}`);
    return waitUntil(ctx, host, (state) => {
      const by = state.promotedSteps.get(step.id);
      if (by) return { evidence: { verdict: 'pass', summary: `promoted by ${by}` } };
      if (atMost === undefined || ctx.clock.now() - host.startedAt < atMost) return undefined;
      const summary = `promoted automatically: nobody promoted or aborted within ${Math.round(atMost / 1000)} s`;
      return { evidence: { verdict: 'pass', summary } };
    });
  }
  return waitUntil(ctx, host, () =>
    ctx.clock.now() - host.startedAt >= (step.durationMs ?? 0) ? {} : undefined,
  );
};

export const bake: StepExecutor<'bake'> = async (ctx, step) => {
  const host = waitHost(ctx);
  return waitUntil(ctx, host, () => (ctx.clock.now() - host.startedAt >= step.durationMs ? {} : undefined));
};
