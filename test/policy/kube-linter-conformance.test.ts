/**
 * Conformance with kube-linter's own check fixtures (test/fixtures/conformance/kube-linter/, copied from
 * stackrox/kube-linter tests/checks as data). kube-linter's convention: an object (or, for the port checks,
 * a container) whose name starts with "dont-fire" must not be reported, every other one must. Each
 * kube-linter check maps to the Slipway rule that judges the same thing (cases.json); Slipway agrees on
 * every object except the disagreements listed there with their reasons — and each listed disagreement
 * must still be one, so the list cannot go stale.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ALL_RULES, lint } from '../../src/policy/lint.js';
import type { K8sObject } from '../../src/render/k8s-object.js';
import { located } from './good-objects.js';

const DIR = join(import.meta.dirname, '../fixtures/conformance/kube-linter');

interface Case {
  rule: string;
  /** Judge per container (kube-linter's port checks name the containers, not the objects). */
  perContainer?: boolean;
  /** Only objects of these kinds are subjects (the check's own kind: Services, autoscalers). */
  kinds?: string[];
  /** Where kube-linter's expectation does not follow the dont-fire naming (from its e2e test's count). */
  expect?: Record<string, boolean>;
  disagree?: Record<string, string>;
}
const CASES = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Record<string, Case>;

/** The fixture's objects; nameless ones (kube-linter reads those too) get their kind and index as name. */
function objectsOf(check: string): K8sObject[] {
  return parseAllDocuments(readFileSync(join(DIR, `${check}.yaml`), 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object' && 'kind' in o)
    .map((o, i) => ({
      ...o,
      metadata: { ...(o.metadata ?? {}), name: o.metadata?.name ?? `${o.kind.toLowerCase()}-${i}` },
    }));
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const containerNames = (o: K8sObject): string[] => {
  const spec: Json = (o as Json).spec?.template?.spec ?? (o as Json).spec?.jobTemplate?.spec?.template?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map((c: Json) => String(c.name));
};

describe('conformance with kube-linter check fixtures', () => {
  for (const [check, c] of Object.entries(CASES))
    it(`${check} ≈ ${c.rule}`, () => {
      const rule = ALL_RULES.find((r) => r.id === c.rule);
      assert.ok(rule, `no rule ${c.rule}`);
      const objects = objectsOf(check);
      const findings = lint(located(objects), [rule]).findings;
      const subjects = objects
        .flatMap((o, i) =>
          c.perContainer
            ? containerNames(o).map((name) => ({ key: `${i}:${o.kind}/${o.metadata.name}/${name}`, name, o }))
            : [{ key: `${i}:${o.kind}/${o.metadata.name}`, name: o.metadata.name, o }],
        )
        .filter((s) => !c.kinds || c.kinds.includes(s.o.kind));
      assert.ok(subjects.length > 0);
      const disagreements: string[] = [];
      for (const s of subjects) {
        const expected = c.expect?.[s.key] ?? !s.name.startsWith('dont-fire');
        const fired = findings.some(
          (f) => f.subject.object === s.o && (!c.perContainer || f.message.includes(`"${s.name}"`)),
        );
        if (fired !== expected) disagreements.push(`${s.key}: kube-linter ${expected}, slipway ${fired}`);
      }
      const listed = Object.keys(c.disagree ?? {});
      assert.deepEqual(
        disagreements.map((d) => d.slice(0, d.indexOf(': kube-linter'))).sort(),
        listed.sort(),
        `unlisted or stale disagreements:\n${disagreements.join('\n')}`,
      );
    });
});
