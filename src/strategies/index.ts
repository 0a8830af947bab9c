/** @module Strategy choice: each strategy turns one service change on one cluster into steps. */
import type { ServiceContext } from '../plan/context.js';
import type { Step, Touch } from '../plan/types.js';
import { blueGreenSteps } from './blue-green.js';
import { canarySteps } from './canary.js';
import { experimentGroupsOf } from './experiment.js';
import type { ExperimentGroup } from '../targets/target.js';
import { initialSteps } from './initial.js';
import { rollingSteps } from './rolling.js';

export function strategyOf(c: ServiceContext): Touch['strategy'] {
  if (c.from === undefined) return 'initial';
  return c.definition.release?.strategy ?? 'rolling';
}

/** The groups of a canary's experiment steps (a rollback removes them). */
export function experimentGroupsIn(c: ServiceContext): ExperimentGroup[] {
  return strategyOf(c) === 'canary' ? experimentGroupsOf(c.definition.release) : [];
}

/** A canary judged against a fresh baseline group of the version it replaces (release.baseline: fresh). */
export function usesFreshBaseline(c: ServiceContext): boolean {
  return strategyOf(c) === 'canary' && c.definition.release?.baseline === 'fresh';
}

export function strategySteps(c: ServiceContext): Step[] {
  const strategy = strategyOf(c);
  switch (strategy) {
    case 'initial':
      return initialSteps(c);
    case 'rolling':
      return rollingSteps(c);
    case 'canary':
      return canarySteps(c);
    case 'blue-green':
      return blueGreenSteps(c);
  }
}
