/**
 * Property: random mutations of the examples only ever produce SlipwayErrors with a location —
 * never an exception, never a hang.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { SlipwayError } from '../../src/errors/index.js';
import { discoverSpecs, type LoadResult, loadSpecText } from '../../src/spec/index.js';
import { assertPeakMemoryBounded } from '../fuzz-memory.js';

const examples = discoverSpecs('examples').map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const YAML_NOISE = [
  ':',
  '{',
  '}',
  '[',
  ']',
  '-',
  '&a',
  '*a',
  '!',
  '|',
  '>',
  "'",
  '"',
  '#',
  '\n',
  '\t',
  ' ',
  '%',
  '@',
  '`',
  '\u0000',
  '\uFFFD',
  '<<: *x',
];

/** Loads and checks the one property; a hang would show as the test's timeout. */
function loadsCleanly(text: string | Uint8Array, file: string): void {
  let result: LoadResult;
  try {
    result = loadSpecText(text, file);
  } catch (thrown) {
    assert.fail(`loadSpecText threw ${String(thrown)}${thrown instanceof Error ? `\n${thrown.stack}` : ''}`);
  }
  if (result.ok) return;
  assert.ok(result.errors.length > 0, 'an invalid result must carry errors');
  for (const error of result.errors) {
    assert.ok(error instanceof SlipwayError, `not a SlipwayError: ${String(error)}`);
    assert.match(error.code, /^SPEC_[A-Z0-9_]+$/);
    assert.ok(
      error.location && error.location.line >= 1 && error.location.column >= 1,
      `${error.code} has no location`,
    );
    assert.ok(error.message.length > 0);
  }
}

const example = fc.constantFrom(...examples);

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    noise: fc.array(fc.constantFrom(...YAML_NOISE), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

function applyText(
  text: string,
  m: fc.Arbitrary<unknown> extends never ? never : ReturnType<typeof textMutation.generate>['value'],
): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'delete': {
      const at = m.at % Math.max(1, text.length);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'insert': {
      const at = m.at % Math.max(1, text.length);
      return text.slice(0, at) + m.noise.join('') + text.slice(at);
    }
    case 'swap-lines': {
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return lines.join('\n');
    }
    case 'duplicate-line': {
      const at = m.at % lines.length;
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    }
    case 'indent': {
      const at = m.at % lines.length;
      const line = lines[at] ?? '';
      lines[at] = m.by >= 0 ? ' '.repeat(m.by) + line : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in a JSON tree. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push(...paths(v, [...prefix, i]));
    });
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(root: Json, path: (string | number)[], replacement: Json | undefined, rename?: string): Json {
  if (path.length === 0) return replacement ?? null;
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string, Json>)[key as string] ?? null, root);
  const key = path[path.length - 1]!;
  if (parent === null || typeof parent !== 'object') return root;
  const container = parent as Record<string | number, Json>;
  if (rename !== undefined && !Array.isArray(parent)) {
    const value = container[key];
    delete container[key];
    container[rename] = value ?? null;
  } else if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete container[key];
  } else container[key] = replacement;
  return root;
}

describe('random mutations of the examples', () => {
  it('text mutations only ever produce located SlipwayErrors', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(example, fc.array(textMutation, { minLength: 1, maxLength: 4 }), (ex, mutations) => {
        const text = mutations.reduce((t, m) => applyText(t, m), ex.text);
        loadsCleanly(text, ex.file);
      }),
      { numRuns: 600, seed: 20261123 },
    );
    assertPeakMemoryBounded();
  });

  it(
    'structural mutations (replace, delete, rename any value) only ever produce located SlipwayErrors',
    {
      timeout: 300_000,
    },
    () => {
      const trees = examples.map((ex) => ({ file: ex.file, tree: parse(ex.text, { merge: true }) as Json }));
      fc.assert(
        fc.property(
          fc.constantFrom(...trees),
          fc.nat(),
          fc.oneof(
            fc.record({
              op: fc.constant('replace' as const),
              value: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
            }),
            fc.record({ op: fc.constant('delete' as const) }),
            fc.record({ op: fc.constant('rename' as const), name: fc.string({ maxLength: 12 }) }),
          ),
          (ex, pick, mutation) => {
            const tree = structuredClone(ex.tree);
            const all = paths(tree);
            const path = all[pick % all.length]!;
            const mutated =
              mutation.op === 'replace'
                ? setAt(tree, path, mutation.value)
                : mutation.op === 'delete'
                  ? setAt(tree, path, undefined)
                  : setAt(tree, path, null, mutation.name);
            loadsCleanly(stringify(mutated), ex.file);
          },
        ),
        { numRuns: 600, seed: 42 },
      );
      assertPeakMemoryBounded();
    },
  );

  it('random bytes only ever produce located SlipwayErrors', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        loadsCleanly(bytes, 'random.yaml');
      }),
      { numRuns: 400, seed: 7 },
    );
    assertPeakMemoryBounded();
  });
});
