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
  /** The fix in Slipway's terms (the spec), for objects Slipway rendered. */
  fix: string;
  /** The fix in Kubernetes terms, for manifests Slipway did not render (else `fix`). */
  manifestFix?: string;
  check(object: K8sObject, ctx: LintContext): Violation[];
}

/** The fix that speaks the object's language: the spec for Slipway's objects, Kubernetes for the rest. */
export function fixFor(rule: Rule, object: K8sObject): string {
  const ours = object.metadata.labels?.['app.kubernetes.io/managed-by'] === 'slipway';
  return ours || !rule.manifestFix ? rule.fix : rule.manifestFix;
}
