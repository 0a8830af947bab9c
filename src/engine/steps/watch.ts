/**
 * @module The post-release watch: the released services' rollback alerts, evaluated as Prometheus evaluates
 * a rule — each of the expression's series pending from the first evaluation that returns it, firing once it
 * has held for the alert's `for` — until the watch ends. A firing alert fails the step, and the runner rolls
 * back every touched cluster. A watch resumed after a restart keeps its end time; pending alerts start over
 * (a later rollback, never a false one).
 */
import type { WatchedAlert } from '../../plan/types.js';
import type { Evidence } from '../events.js';
import { type StepExecutor, waitHost } from './step-context.js';

/** Evaluations in a row that may fail before the watch gives up (Argo Rollouts' consecutiveErrorLimit is 4). */
const ERROR_LIMIT = 5;

const labelText = (labels: Record<string, string>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;

/** Each alert's pending series (by label set) and since when; and evaluations that failed in a row. */
class AlertStates {
  private readonly pending = new Map<string, Map<string, number>>();
  private readonly errors = new Map<string, number>();

  /** The series that has held long enough to fire, if any. */
  observe(alert: WatchedAlert, series: { labels: Record<string, string>; value: number }[], now: number) {
    this.errors.set(alert.name, 0);
    const before = this.pending.get(alert.name) ?? new Map<string, number>();
    const after = new Map<string, number>();
    for (const s of series) {
      const key = labelText(s.labels);
      const since = before.get(key) ?? now;
      after.set(key, since);
      if (now - since >= alert.forMs) return { ...s, key, heldMs: now - since };
    }
    this.pending.set(alert.name, after);
    return undefined;
  }

  failedAgain(alert: WatchedAlert): number {
    const n = (this.errors.get(alert.name) ?? 0) + 1;
    this.errors.set(alert.name, n);
    return n;
  }
}

export const watch: StepExecutor<'watch'> = async (ctx, step) => {
  const host = waitHost(ctx);
  const post = ctx.spec.release?.postRelease;
  const { provider, problem } = ctx.providers.forTemplate(post ? { provider: post.provider } : {});
  const fail = (summary: string, extra: Record<string, unknown> = {}) => ({
    evidence: { verdict: 'fail', summary, ...extra } satisfies Evidence,
  });
  if (!provider?.querySeries)
    return fail(`the post-release watch cannot ask Prometheus: ${problem ?? 'the provider has no PromQL'}`);
  const states = new AlertStates();
  const names = step.alerts.map((a) => a.name).join(', ');
  host.log(`… ${step.id} watching ${names} for ${Math.round(step.durationMs / 1000)} s`);
  for (let evaluations = 1; ; evaluations++) {
    host.checkStillOwner();
    if ((await host.state()).abort) {
      host.aborted();
      return {};
    }
    const now = ctx.clock.now();
    for (const alert of step.alerts) {
      const answer = await provider.querySeries(alert.expr, ctx.signal);
      if (ctx.signal.aborted) return {};
      if (answer.kind !== 'series') {
        if (states.failedAgain(alert) >= ERROR_LIMIT)
          return fail(
            `alert ${alert.name} could not be evaluated ${ERROR_LIMIT} times in a row: ${answer.message}`,
          );
        continue;
      }
      const fired = states.observe(alert, answer.series, now);
      if (fired)
        return fail(
          `alert ${alert.name} of ${alert.service} fired${alert.forMs ? ` (held ${Math.round(fired.heldMs / 1000)} s, for ${alert.forMs / 1000} s)` : ''}: ${fired.key} = ${fired.value}`,
          { alert: alert.name, service: alert.service, labels: fired.labels, value: fired.value },
        );
    }
    const elapsed = ctx.clock.now() - host.startedAt;
    if (elapsed >= step.durationMs)
      return {
        evidence: {
          verdict: 'pass',
          summary: `no alert fired during the ${Math.round(step.durationMs / 1000)} s watch (${names}; ${evaluations} evaluations)`,
        },
      };
    await ctx.clock.sleep(Math.min(step.intervalMs, step.durationMs - elapsed), ctx.signal);
  }
};
