/** @module A suppression names a known rule and gives a reason. */
import type { Rule, Violation } from '../rule.js';
import { suppressionsOf } from '../suppression.js';

export function suppressionReason(knownRules: () => readonly string[]): Rule {
  return {
    id: 'suppression-reason',
    severity: 'error',
    title: 'Suppression without a reason, or of an unknown rule',
    rationale:
      'A silenced check with no reason cannot be reviewed or revisited; a suppression of a misspelt rule silences nothing and hides that fact.',
    fix: 'Write the reason as the annotation value, e.g. lint.slipway.dev/ignore-run-as-non-root: "postgres starts as root and drops to uid 999".',
    check(object) {
      const known = knownRules();
      const out: Violation[] = [];
      for (const s of suppressionsOf(object)) {
        if (!known.includes(s.ruleId))
          out.push({
            message: `${s.annotation} names no rule (known: see slipway lint --list-rules)`,
            path: ['metadata', 'annotations'],
          });
        else if (!s.valid)
          out.push({
            message: `${s.annotation} gives no reason ("${s.reason}"); the suppression is ignored`,
            path: ['metadata', 'annotations'],
          });
      }
      return out;
    },
  };
}
