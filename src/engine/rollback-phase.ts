/**
 * @module The rollback phase of a release: its start (recorded once, told, diagnosed) and the reverse steps
 * of every cluster the release touched, each retried a few times; a rollback that cannot finish fails the
 * release and says where.
 */
import { SlipwayError } from '../errors/index.js';
import { sleep } from '../io/sleep.js';
import type { Plan, Step } from '../plan/types.js';
import type { NewEvent, Store } from '../store/store.js';
import { type Evidence, EventType } from './events.js';
import type { NotificationMessage } from './ports.js';
import { rollbackSteps } from './rollback-plan.js';
import type { ReleaseState } from './state.js';

const ENGINE = 'engine';

/** What the rollback phase borrows from its release runner. */
export interface RollbackHost {
  releaseId: string;
  plan: Plan;
  state(): Promise<ReleaseState>;
  append(event: NewEvent, options?: Parameters<Store['append']>[2]): Promise<void>;
  /** Runs a rollback step: its started and completed events around its effect. */
  execute(step: Step, state: ReleaseState): Promise<Evidence | undefined>;
  notify(event: NotificationMessage['event'], text: string, details?: Record<string, unknown>): Promise<void>;
  log(line: string): void;
  describe(): string;
  leaseLost(): boolean;
  diagnose(): void;
  stopBackground(): void;
}

/** Records the rollback's start once (a resumed runner finds it recorded), with the reason. */
export async function startRollback(host: RollbackHost, reason: string): Promise<void> {
  host.stopBackground();
  const state = await host.state();
  if (state.rollback) return;
  await host.append(
    { type: EventType.rollbackStarted, payload: { reason }, actor: ENGINE },
    { status: 'rolling-back' },
  );
  host.log(`↩ rolling back: ${reason}`);
  host.diagnose();
  await host.notify('rollback', `Rolling back ${host.describe()}: ${reason}`, { reason });
}

/** Each rollback step not yet completed, in reverse order of the clusters touched, then the end. */
export async function runRollback(host: RollbackHost, initial: ReleaseState): Promise<void> {
  for (const step of rollbackSteps(host.plan, initial)) {
    const state = await host.state();
    if (state.rollback?.steps.get(step.id)?.completedAt) continue;
    await withRetries(host, step, state);
  }
  const state = await host.state();
  await host.append(
    { type: EventType.rolledBack, payload: { reason: state.rollback?.reason ?? '' }, actor: ENGINE },
    { status: 'rolled-back' },
  );
  host.log(`release ${host.releaseId} rolled back`);
}

/** A rollback step, tried three times; then the release has failed, where it says. */
async function withRetries(host: RollbackHost, step: Step, state: ReleaseState): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const evidence = await host.execute(step, state);
      if (evidence?.verdict === 'fail') throw new SlipwayError('ROLLBACK_STEP_FAILED', evidence.summary);
      return;
    } catch (error) {
      if (host.leaseLost() || attempt >= 3) {
        await host.append(
          {
            type: EventType.failed,
            payload: { reason: `rollback step ${step.id} failed: ${(error as Error).message}` },
            actor: ENGINE,
          },
          { status: 'failed' },
        );
        await host.notify(
          'release-failed',
          `Rollback of ${host.describe()} failed at ${step.title}: ${(error as Error).message}`,
        );
        throw error;
      }
      host.log(`↩ ${step.id} failed (${(error as Error).message}); retrying`);
      await sleep(1000 * attempt);
    }
  }
}
