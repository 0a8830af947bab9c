/** @module The linter: every rule over every object, suppressions applied, findings sorted by place. */
import type { LocatedObject } from '../render/k8s-object.js';
import { groupByScope, isWorkload } from '../render/object-access.js';
import { LintContext } from './lint-context.js';
import type { Rule, Severity } from './rule.js';
import { RULES } from './rules/index.js';
import { suppressionReason } from './rules/suppression-reason.js';
import { suppressionsOf } from './suppression.js';
import { appendAll } from '../io/append-all.js';

export interface Finding {
  rule: Rule;
  severity: Severity;
  message: string;
  subject: LocatedObject;
  file: string;
  line: number;
  column: number;
  /** Set when an annotation with a reason silences the finding. */
  suppressed?: string;
}

export interface LintResult {
  findings: Finding[];
  rules: readonly Rule[];
  objects: number;
  /** Kinds no rule reads beyond apiVersion and namespace, with how many objects of each (not "checked"). */
  unchecked: Record<string, number>;
}

/** Besides workloads, the kinds rules read: what selects, budgets, scales or watches a workload. */
const READ_KINDS = new Set([
  'Service',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'ScaledObject',
  'NetworkPolicy',
  'PrometheusRule',
  'Namespace',
]);

function uncheckedKinds(objects: LocatedObject[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { object } of objects)
    if (!isWorkload(object) && !READ_KINDS.has(object.kind)) out[object.kind] = (out[object.kind] ?? 0) + 1;
  return out;
}

export const ALL_RULES: readonly Rule[] = [...RULES, suppressionReason(() => RULES.map((r) => r.id))];

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function lint(objects: LocatedObject[], rules: readonly Rule[] = ALL_RULES): LintResult {
  const findings: Finding[] = [];
  for (const scoped of groupByScope(objects).values()) appendAll(findings, lintScope(scoped, rules));
  findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.rule.id.localeCompare(b.rule.id) ||
      a.message.localeCompare(b.message),
  );
  return { findings, rules, objects: objects.length, unchecked: uncheckedKinds(objects) };
}

function lintScope(objects: LocatedObject[], rules: readonly Rule[]): Finding[] {
  const ctx = new LintContext(objects);
  const findings: Finding[] = [];
  for (const subject of objects) {
    const suppressions = suppressionsOf(subject.object);
    for (const rule of rules) {
      for (const violation of rule.check(subject.object, ctx)) {
        const at =
          violation.path && subject.origin.locate ? subject.origin.locate(violation.path) : subject.origin;
        const suppression = suppressions.find(
          (s) => s.ruleId === rule.id && s.valid && rule.id !== 'suppression-reason',
        );
        findings.push({
          rule,
          severity: rule.severity,
          message: violation.message,
          subject,
          file: subject.origin.file,
          line: at.line,
          column: at.column,
          ...(suppression ? { suppressed: suppression.reason } : {}),
        });
      }
    }
  }
  return findings;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (!f.suppressed) counts[f.severity]++;
  return counts;
}
