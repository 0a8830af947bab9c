/** @module An SLO must leave an error budget: an objective of 100 % leaves none. */
import type { SlipwayError } from '../../errors/index.js';
import { parsePercent } from '../units.js';
import { asList, asMap, keyErrors, type RuleContext } from './raw.js';

export function checkSloObjectives(ctx: RuleContext): SlipwayError[] {
  const { errors, add } = keyErrors(ctx);
  for (const [name, raw] of Object.entries(asMap(ctx.data.services))) {
    const svc = asMap(raw);
    const at = ['services', name];
    asList(svc.slos).forEach((slo, i) => {
      const objective = asMap(slo).objective;
      if ((typeof objective === 'string' || typeof objective === 'number') && safePercent(objective) >= 1) {
        add(
          'SPEC_INVALID_VALUE',
          'an SLO objective of 100% leaves no error budget',
          [...at, 'slos', i, 'objective'],
          'use e.g. 99.9%',
        );
      }
    });
  }
  return errors;
}

function safePercent(value: string | number): number {
  try {
    return parsePercent(value);
  } catch {
    return 0;
  }
}
