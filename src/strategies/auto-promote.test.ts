import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRelease } from '../plan/plan-release.js';
import { loadSpecText } from '../spec/index.js';

const spec = (strategy: string, extra: string) => {
  const r = loadSpecText(
    `apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: p }
environments: { staging: { clusters: { c: { local: {} } } } }
services:
  web:
    local: { command: node examples/demo/service.js }
    port: 8080
    replicas: 2
    release: { strategy: ${strategy}${extra} }
`,
    'p.yaml',
  );
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.spec;
};

const kinds = (strategy: string, extra: string) =>
  planRelease(spec(strategy, extra), { changes: [{ service: 'web', version: 'v2' }] }, () => 'v1')
    .steps.filter((s) => s.id.startsWith('staging/c/web/'))
    .map((s) => (s.kind === 'pause' && s.untilPromoted ? 'wait-for-promote' : s.kind));

describe('autoPromote', () => {
  it('false holds a canary and a blue-green switch before promotion until slipway promote', () => {
    for (const strategy of ['canary', 'blue-green']) {
      const held = kinds(strategy, ', autoPromote: false');
      assert.equal(
        held.at(held.indexOf('promote') - 1),
        'wait-for-promote',
        `${strategy}: ${held.join(' ')}`,
      );
      assert.ok(
        !kinds(strategy, '').includes('wait-for-promote'),
        `${strategy} promotes by itself by default`,
      );
    }
  });
});
