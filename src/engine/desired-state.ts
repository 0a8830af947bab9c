/** @module How each deploy step changes what should run; kept so a restarted controller can rebuild it. */
import type { Step } from '../plan/types.js';
import type { DesiredState } from '../store/store.js';

export function emptyDesired(cluster: string, service: string): DesiredState {
  return { cluster, service, groups: {}, weights: { stable: 100 } };
}

/** The desired state after `step`, or undefined when the step changes nothing that runs. */
export function applyStep(before: DesiredState, step: Step): DesiredState | undefined {
  const next: DesiredState = structuredClone(before);
  switch (step.kind) {
    case 'ensure-replicas':
      if (step.replicas === 0) delete next.groups[step.group];
      else next.groups[step.group] = { version: step.version, replicas: step.replicas };
      return next;
    case 'set-weights':
      next.weights = { ...step.weights };
      if (step.matches?.length) next.matches = step.matches;
      else delete next.matches;
      return next;
    case 'promote':
      next.groups.stable = { version: step.version, replicas: step.replicas };
      delete next.groups[step.from];
      next.weights = { stable: 100 };
      delete next.matches;
      return next;
    case 'scale-to-zero':
      delete next.groups[step.group];
      return next;
    case 'preflight':
    case 'backup':
    case 'approval':
    case 'check':
    case 'analysis':
    case 'background-analysis':
    case 'pause':
    case 'bake':
    case 'watch':
    case 'criteria':
    case 'record-version':
      return undefined;
  }
}
