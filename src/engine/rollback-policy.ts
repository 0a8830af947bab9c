/** @module When a step's outcome fails its gate, and whether the spec wants the rollback automatic. */
import type { Step } from '../plan/types.js';
import type { Platform } from '../spec/schema/platform.js';
import type { Evidence } from './events.js';

/** An inconclusive analysis rolls back unless its template says `onInconclusive: pause`. */
export function rollsBackOnInconclusive(spec: Platform, step: Step): boolean {
  if (step.kind !== 'analysis') return false;
  return (spec.analysis?.[step.template]?.onInconclusive ?? 'rollback') === 'rollback';
}

export function gateFails(spec: Platform, step: Step, evidence: Evidence | undefined): boolean {
  return (
    evidence?.verdict === 'fail' ||
    (evidence?.verdict === 'inconclusive' && step.kind === 'analysis' && rollsBackOnInconclusive(spec, step))
  );
}

/** `rollback: manual` (the service's, else the platform's) stops at a failed gate instead of rolling back. */
export function rollbackIsManual(spec: Platform, step: Step): boolean {
  const policy =
    (step.service ? spec.services[step.service]?.release?.rollback : undefined) ?? spec.release?.rollback;
  const mode = typeof policy === 'string' ? policy : policy?.mode;
  return mode === 'manual';
}
