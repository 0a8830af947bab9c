/** @module Which lint rules run: `only`, minus `disable`; an unknown id is a user error with a suggestion. */
import { SlipwayError } from '../errors/index.js';
import { closest } from '../spec/suggest.js';
import { ALL_RULES } from './lint.js';
import type { Rule } from './rule.js';

export function selectRules(only: string[] | undefined, disable: string[] | undefined): readonly Rule[] {
  const ids = ALL_RULES.map((r) => r.id);
  const check = (list: string[] | undefined) => {
    for (const id of list ?? [])
      if (!ids.includes(id)) {
        const guess = closest(id, ids);
        throw new SlipwayError('LINT_UNKNOWN_RULE', `unknown rule "${id}"`, {
          hint: guess
            ? `did you mean "${guess}"? (slipway lint --list-rules)`
            : 'see slipway lint --list-rules',
        });
      }
    return list;
  };
  const wanted = check(only);
  const skipped = check(disable) ?? [];
  return ALL_RULES.filter((r) => (!wanted || wanted.includes(r.id)) && !skipped.includes(r.id));
}
