/**
 * @module The rollback of a release: for every cluster and service it touched, in reverse order, traffic
 * back to stable at once, the new version's groups emptied, and stable restored to the previous version.
 */
import type { Plan, Step, Touch } from '../plan/types.js';
import type { ReleaseState } from './state.js';

function touched(plan: Plan, state: ReleaseState): Touch[] {
  return plan.touches.filter((t) =>
    [...state.steps.keys()].some((id) => id.includes(`${t.environment}/${t.cluster}/${t.service}/`)),
  );
}

/** Undoes what a release started, in reverse order. */
export function rollbackSteps(plan: Plan, state: ReleaseState): Step[] {
  return rollbackStepsFor(touched(plan, state), 'rollback');
}

/** Puts each touched service back to its `from` version (for `slipway rollback` as well). */
export function rollbackStepsFor(touches: readonly Touch[], prefix: string): Step[] {
  const steps: Step[] = [];
  for (const t of [...touches].reverse()) {
    const base = { environment: t.environment, cluster: t.cluster, service: t.service };
    const id = (n: string) => `${prefix}/${t.environment}/${t.cluster}/${t.service}/${n}`;
    if (t.from === undefined) {
      // First deployment: there is nothing to go back to but nothing.
      steps.push({
        ...base,
        id: id('1-scale-stable'),
        title: `remove ${t.service} from ${t.cluster}`,
        kind: 'scale-to-zero',
        cluster: t.cluster,
        service: t.service,
        group: 'stable',
        restore: true,
      });
      continue;
    }
    steps.push({
      ...base,
      id: id('1-weights'),
      title: `all traffic to stable on ${t.cluster}`,
      kind: 'set-weights',
      cluster: t.cluster,
      service: t.service,
      weights: { stable: 100 },
    });
    steps.push({
      ...base,
      id: id('2-stable'),
      title: `stable runs ${t.replicas} × ${t.from} on ${t.cluster}`,
      kind: 'ensure-replicas',
      cluster: t.cluster,
      service: t.service,
      group: 'stable',
      version: t.from,
      replicas: t.replicas,
      maxSurge: '100%',
      maxUnavailable: 0,
      deadlineMs: 300_000,
      restore: true,
    });
    steps.push({
      ...base,
      id: id('3-canary'),
      title: `canary scaled to zero on ${t.cluster}`,
      kind: 'scale-to-zero',
      cluster: t.cluster,
      service: t.service,
      group: 'canary',
    });
    for (const group of t.separateGroups ?? [])
      steps.push({
        ...base,
        id: id(`3-${group}`),
        title: `${group === 'baseline' ? 'fresh baseline' : group} scaled to zero on ${t.cluster}`,
        kind: 'scale-to-zero',
        cluster: t.cluster,
        service: t.service,
        group,
      });
    steps.push({
      ...base,
      id: id('4-preview'),
      title: `preview scaled to zero on ${t.cluster}`,
      kind: 'scale-to-zero',
      cluster: t.cluster,
      service: t.service,
      group: 'preview',
    });
    steps.push({
      ...base,
      id: id('5-record'),
      title: `record ${t.service}@${t.from} on ${t.cluster}`,
      kind: 'record-version',
      environment: t.environment,
      cluster: t.cluster,
      service: t.service,
      version: t.from,
    });
  }
  return steps;
}
