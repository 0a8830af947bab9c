/**
 * Nothing accepted and ignored: every key the JSON Schema accepts is written in at least one test, fixture
 * or example that the test command runs (so some test exercises what it does — or the located "not
 * supported yet" error it gets), unless it is listed below with the reason. A new key with neither fails
 * here, naming itself.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Keys with no test of their own, and why that is right. */
const EXEMPT: Record<string, string> = {
  'services.*.helm.createNamespace':
    'releasing a Helm chart is refused at plan time (PLAN_NOT_SUPPORTED, test/plan/plan-golden.test.ts); render notes the chart',
};

function keyPaths(schema: Node): string[] {
  const defs: Node = schema['$defs'] ?? schema['definitions'] ?? {};
  const out = new Set<string>();
  const walk = (node: Node | undefined, path: string, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 40) return;
    if (node['$ref']) return walk(defs[String(node['$ref']).split('/').pop()!], path, depth + 1);
    for (const [k, v] of Object.entries((node['properties'] ?? {}) as Node)) {
      const p = path ? `${path}.${k}` : k;
      out.add(p);
      walk(v as Node, p, depth + 1);
    }
    for (const c of ['anyOf', 'oneOf', 'allOf'])
      for (const sub of (node[c] ?? []) as Node[]) walk(sub, path, depth + 1);
    if (node['items']) walk(node['items'] as Node, `${path}[]`, depth + 1);
    if (node['additionalProperties'] && typeof node['additionalProperties'] === 'object')
      walk(node['additionalProperties'] as Node, `${path}.*`, depth + 1);
  };
  walk(schema, '', 0);
  return [...out].sort();
}

function files(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter(keep)
    .map((f) => join(dir, f));
}

describe('the schema', () => {
  it('has no key that no test, fixture or example writes', () => {
    const keys = keyPaths(JSON.parse(readFileSync('schema/slipway.schema.json', 'utf8')) as Node);
    assert.ok(keys.length > 300, `${keys.length} keys`);
    const corpus = [
      ...files('test', (f) => f.endsWith('.ts') || f.endsWith('.yaml')),
      ...files('src', (f) => f.endsWith('.test.ts')),
      ...files('examples', (f) => f.endsWith('slipway.yaml')),
    ]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const untested = keys.filter((k) => {
      const leaf = k.split('.').pop()!.replace(/\[\]$/, '');
      return !EXEMPT[k] && !new RegExp(`\\b${leaf}\\b`).test(corpus);
    });
    assert.deepEqual(
      untested,
      [],
      'write a test that shows what each of these keys does, or refuse it in validate',
    );
    for (const k of Object.keys(EXEMPT)) assert.ok(keys.includes(k), `${k} is no longer in the schema`);
  });
});
