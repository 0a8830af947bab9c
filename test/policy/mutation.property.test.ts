/**
 * Lint and netpol read whatever YAML users give them: any field may hold a value of the wrong shape.
 * Random structural mutations of rendered objects, written out and read back as a user's file, must
 * give located errors (for what the API server would reject too) or findings, never a crash.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { SlipwayError } from '../../src/errors/index.js';
import { readManifestText } from '../../src/manifests/read-manifests.js';
import { analyze } from '../../src/policy/netpol/analyze.js';
import { lint } from '../../src/policy/lint.js';
import { renderExample } from '../render/render-helpers.js';
import { assertPeakMemoryBounded } from '../fuzz-memory.js';

const base = renderExample('medical-platform', ['production']).map((r) => r.object);

/** Every path to a value inside an object. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}

function replaceAt(object: unknown, path: (string | number)[], replacement: unknown): void {
  let at = object as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = replacement;
}

const oddValue = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.integer({ min: -5, max: 70000 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant([null, 'x', 3]),
  fc.constant({ matchLabels: 'x', matchExpressions: [{ operator: 'Bogus' }] }),
);

describe('lint and netpol on malformed objects', () => {
  it('give located errors or findings, never a crash, whatever field holds whatever value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(), oddValue), { minLength: 1, maxLength: 6 }),
        (mutations) => {
          const objects = structuredClone(base);
          for (const [which, where, value] of mutations) {
            const object = objects[which % objects.length]!;
            const candidates = paths(object).filter((p) => p.length > 0);
            replaceAt(object, candidates[where % candidates.length]!, structuredClone(value));
          }
          const text = objects.map((o) => dump(o, { noRefs: true })).join('---\n');
          const read = readManifestText(text, 'mutated.yaml');
          for (const error of read.errors) {
            assert.ok(error instanceof SlipwayError);
            assert.ok(error.location && error.location.line >= 1, error.message);
          }
          const result = lint(read.objects);
          assert.ok(result.findings.every((f) => f.line >= 1));
          analyze(read.objects.map((o) => o.object));
        },
      ),
      { numRuns: 500 },
    );
    assertPeakMemoryBounded();
  });
});
