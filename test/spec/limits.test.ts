/** Hostile sizes: very large, very deep and very wide documents give a clear error, never a crash. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS, loadSpecText } from '../../src/spec/index.js';

const HEAD = `apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: big }
environments:
  staging:
    clusters: { local-1: { local: {} } }
services:
`;

describe('spec size limits', () => {
  it('rejects a file over the byte limit before parsing it', () => {
    const bytes = Buffer.alloc(LIMITS.bytes + 1, 0x61);
    const result = loadSpecText(bytes, 'huge.yaml');
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.errors[0]?.code, 'SPEC_TOO_LARGE');
  });

  it('reports nesting 100 000 levels deep as too deep, without overflowing the stack', () => {
    const text = `${HEAD}  api:\n    image: registry.example.com/api\n    labels: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const result = loadSpecText(text, 'deep.yaml');
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.errors[0]?.code, 'SPEC_TOO_DEEP');
  });

  it('accepts a large but legitimate platform: 2 000 services', () => {
    let text = HEAD;
    for (let i = 0; i < 2000; i++)
      text += `  svc-${i}:\n    image: registry.example.com/svc-${i}\n    port: 8080\n    replicas: 2\n`;
    const result = loadSpecText(text, 'wide.yaml');
    assert.ok(result.ok);
    if (result.ok) assert.equal(Object.keys(result.spec.services).length, 2000);
  });

  it('reports every error of a platform with many mistakes, each located', () => {
    let text = HEAD;
    for (let i = 0; i < 50; i++)
      text += `  svc-${i}:\n    image: registry.example.com/svc\n    replcias: 2\n`;
    const result = loadSpecText(text, 'many.yaml');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.errors.length, 50);
    assert.deepEqual(
      result.errors.map((e) => e.location?.line),
      Array.from({ length: 50 }, (_, i) => 10 + i * 3),
    );
  });
});
