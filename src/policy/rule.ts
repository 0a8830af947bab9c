/** @module A production-readiness rule: what it checks, why it matters and how to fix it. */
import type { K8sObject } from '../render/k8s-object.js';
import type { LintContext } from './lint-context.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Violation {
  message: string;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].image`, for the line. */
  path?: readonly (string | number)[];
}

export interface Rule {
  /** Stable, kebab-case; also the suffix of the suppression annotation. */
  id: string;
  severity: Severity;
  title: string;
  rationale: string;
  fix: string;
  check(object: K8sObject, ctx: LintContext): Violation[];
}
