/** @module Strategy choice: each strategy turns one service change on one cluster into steps. */
import type { ServiceContext } from '../plan/context.js';
import type { Step, Touch } from '../plan/types.js';
import { blueGreenSteps } from './blue-green.js';
import { canarySteps } from './canary.js';
import { experimentGroupsOf } from './experiment.js';
import type { SeparateGroup } from '../targets/target.js';
import { initialSteps } from './initial.js';
import { rollingSteps } from './rolling.js';

export function strategyOf(c: ServiceContext): Touch['strategy'] {
  if (c.from === undefined) return 'initial';
  return c.definition.release?.strategy ?? 'rolling';
}

/**
 * The groups a canary runs beside it, which its rollback must empty: a fresh baseline (release.baseline:
 * fresh) and its experiment steps' variants.
 */
export function separateGroupsIn(c: ServiceContext): SeparateGroup[] {
  if (strategyOf(c) !== 'canary') return [];
  const release = c.definition.release;
  return [...(release?.baseline === 'fresh' ? ['baseline' as const] : []), ...experimentGroupsOf(release)];
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
