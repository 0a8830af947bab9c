/**
 * @module Suppressions: the annotation `lint.slipway.dev/ignore-<rule-id>: "<reason>"` on an object (or its
 * pod template) silences one rule for that object, and only with a reason a reviewer can judge.
 */
import { ANNOTATION, type K8sObject } from '../render/k8s-object.js';
import { podTemplate, stringMap } from '../render/object-access.js';

/** Placeholders that say nothing about why; a suppression with one of them does not count. */
const NON_REASONS = new Set([
  '',
  'true',
  'yes',
  '1',
  'ok',
  'ignore',
  'skip',
  'false',
  'todo',
  'n/a',
  'na',
  '-',
]);

export interface Suppression {
  ruleId: string;
  reason: string;
  annotation: string;
  /** False when the reason is missing or a placeholder. */
  valid: boolean;
}

export function suppressionsOf(object: K8sObject): Suppression[] {
  const annotations = {
    ...stringMap(podTemplate(object)?.metadata['annotations']),
    ...stringMap(object.metadata.annotations),
  };
  return Object.entries(annotations)
    .filter(([key]) => key.startsWith(ANNOTATION.lintIgnorePrefix))
    .map(([annotation, reason]) => ({
      ruleId: annotation.slice(ANNOTATION.lintIgnorePrefix.length),
      reason: reason.trim(),
      annotation,
      valid: !NON_REASONS.has(reason.trim().toLowerCase()) && reason.trim().length >= 8,
    }));
}
