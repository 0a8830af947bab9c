/**
 * @module A lint result as JSON and back: the API sends findings with their rule's id, and the CLI
 * finds the rule again by id, so every report format is written by the same code on either side.
 */
import { SlipwayError } from '../errors/index.js';
import { ALL_RULES, type Finding, type LintResult } from './lint.js';

/** A finding with its rule's id in place of the rule. */
export type WireFinding = Omit<Finding, 'rule'> & { rule: string };

export interface WireLintResult {
  findings: WireFinding[];
  rules: string[];
  objects: number;
  unchecked: Record<string, number>;
}

export function lintToWire(result: LintResult): WireLintResult {
  return {
    findings: result.findings.map(({ rule, ...f }) => ({ ...f, rule: rule.id })),
    rules: result.rules.map((r) => r.id),
    objects: result.objects,
    unchecked: result.unchecked,
  };
}

function ruleById(id: string) {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule)
    throw new SlipwayError(
      'CLI_BAD_RESPONSE',
      `the controller reported a finding of rule "${id}", unknown here`,
      {
        hint: 'the controller runs another version of Slipway: use the same version on both sides',
      },
    );
  return rule;
}

export function lintFromWire(wire: WireLintResult): LintResult {
  return {
    findings: wire.findings.map((f): Finding => ({ ...f, rule: ruleById(f.rule) })),
    rules: wire.rules.map(ruleById),
    objects: wire.objects,
    unchecked: wire.unchecked,
  };
}
