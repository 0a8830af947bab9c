/** What kubectl would refuse or a walk cannot read is a located finding with exit 2, never a crash or a silent pick. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { runBin } from '../cli/cli-helpers.js';

const GOOD = `apiVersion: v1
kind: ConfigMap
metadata: { name: fine, namespace: team }
data: { a: "1" }
`;

const BOMB = `apiVersion: v1
kind: ConfigMap
metadata: { name: bomb }
data:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
`;

describe('manifest readers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-reader-'));
  writeFileSync(join(dir, 'bomb.yaml'), BOMB);
  writeFileSync(
    join(dir, 'dup.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  name: b\n',
  );

  it('locates an alias bomb in lint and netpol instead of crashing', () => {
    for (const command of ['lint', 'netpol']) {
      const r = runBin(command, join(dir, 'bomb.yaml'));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout + r.stderr, /bomb\.yaml:1:1: error MANIFEST_ALIAS_LIMIT/);
      assert.doesNotMatch(r.stderr, /INTERNAL|\n\s+at /);
    }
  });

  it('makes a duplicate key a located error, not the last value silently', () => {
    const r = runBin('lint', join(dir, 'dup.yaml'));
    assert.equal(r.code, 2);
    assert.match(r.stdout + r.stderr, /dup\.yaml:5:3: error MANIFEST_INVALID_YAML: Map keys must be unique/);
  });

  it('reports every dangling symlink and symlink loop of a directory walk, not just the first, and ends', () => {
    const tree = mkdtempSync(join(tmpdir(), 'slipway-walk-'));
    mkdirSync(join(tree, 'ok'));
    writeFileSync(join(tree, 'ok', 'fine.yaml'), GOOD);
    symlinkSync('/nonexistent-slipway-target', join(tree, 'dangling.yaml'));
    symlinkSync(tree, join(tree, 'ok', 'loop'));
    const r = runBin('lint', tree);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dangling\.yaml: a dangling symlink; skipped/);
    assert.match(r.stderr, /loop: a symlink loop .*; skipped/);
  });

  it('skips empty and comment-only documents, and applies YAML merge keys, as kubectl does', () => {
    const trail = join(dir, 'trail.yaml');
    writeFileSync(trail, `${GOOD}---\n# nothing here\n---\n`);
    const r = runBin('lint', trail);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // One object read (the ConfigMap), which only the apiVersion and namespace rules read.
    assert.match(
      r.stdout,
      /0 object\(s\) checked .*\n1 more of kinds no rule checks beyond apiVersion and namespace: ConfigMap \(1\)/,
    );
    const merged = join(dir, 'merge.yaml');
    writeFileSync(
      merged,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: m, namespace: x }\nspec:\n  template:\n    spec:\n      containers:\n' +
        '        - &c { name: app, image: "r/a:1", resources: { requests: { cpu: 100m, memory: 1Mi } } }\n' +
        '        - { <<: *c, name: side }\n',
    );
    const m = runBin('lint', merged, '--format', 'json');
    const findings = (JSON.parse(m.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    assert.ok(
      !findings.some((f) => f.includes('request')),
      `the merged container has its requests: ${findings.join(', ')}`,
    );
  });

  it('reports a bad List item where it is and still checks the rest (lint and netpol), exit 2', () => {
    const list = join(dir, 'list.yaml');
    writeFileSync(
      list,
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '  - apiVersion: apps/v1',
        '    kind: Deployment',
        '    metadata: { name: good, namespace: shop }',
        '    spec:',
        '      selector: { matchLabels: { app: good } }',
        '      template:',
        '        metadata: { labels: { app: good } }',
        '        spec: { containers: [{ name: app, image: "nginx:latest" }] }',
        '  - apiVersion: v1',
        '    kind: ConfigMap',
        '    metadata: { namespace: shop }',
        '',
      ].join('\n'),
    );
    const r = runBin('lint', list, '--format', 'json');
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /list\.yaml:12:5: error MANIFEST_NOT_K8S_OBJECT: not a Kubernetes object: missing metadata\.name/,
    );
    const body = JSON.parse(r.stdout) as { objects: number; findings: { rule: string }[] };
    assert.equal(body.objects, 1, 'the good item was linted');
    assert.ok(body.findings.some((f) => f.rule === 'image-tag'));
    const n = runBin('netpol', list);
    assert.equal(n.code, 2);
    assert.match(n.stderr, /list\.yaml:12:5: error MANIFEST_NOT_K8S_OBJECT/);
  });

  it('stops quietly when the reader of its output goes away (| head)', () => {
    const r = spawnSync(
      'bash',
      ['-c', 'node bin/slipway.js schema | head -c 10 >/dev/null; echo "status ${PIPESTATUS[0]}"'],
      {
        encoding: 'utf8',
      },
    );
    assert.match(r.stdout, /status 0/);
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
  });

  it('--namespace puts objects that name none where kubectl apply -n would', () => {
    const file = join(dir, 'bare.yaml');
    writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  template:\n    metadata: { labels: { app: api } }\n    spec:\n      containers: [{ name: api, image: "r/api:1" }]\n' +
        '---\napiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
    );
    const objects = (...flags: string[]) => {
      const r = runBin('lint', ...flags, file, '--format', 'json', '--fail-on', 'never');
      assert.equal(r.code, 0, r.stderr);
      return new Set(
        (JSON.parse(r.stdout) as { findings: { object: string }[] }).findings.map((f) => f.object),
      );
    };
    assert.deepEqual([...objects()], ['Deployment/api']);
    for (const flag of ['-n', '--namespace'])
      assert.deepEqual([...objects(flag, 'shop')], ['Deployment/shop/api']);
  });

  it("applies validate's depth limit to manifests: a located error, and the rest is still linted", () => {
    const file = join(dir, 'deep.yaml');
    let nested = '1';
    for (let i = 0; i < 80; i++) nested = `{ a: ${nested} }`;
    writeFileSync(
      file,
      `${GOOD}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: deep }\ndata: ${nested}\n`,
    );
    const r = runBin('lint', file, '--format', 'json', '--fail-on', 'never');
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /deep\.yaml:\d+:1: error MANIFEST_TOO_DEEP: the document is nested more than 64 levels deep/,
    );
    assert.equal((JSON.parse(r.stdout) as { objects: number }).objects, 1, 'the good document is linted');
  });
});
