import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readManifestText } from './read-manifests.js';

const STREAM = `# a leading comment
apiVersion: v1
kind: ConfigMap
metadata: { name: first }
data:
  a: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: second
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: app
          image: nginx
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: { name: third }
    spec:
      selector: { app: x }
`;

describe('reading manifests', () => {
  it('locates paths in any document of a stream, also after its syntax tree is gone', () => {
    const { objects, errors } = readManifestText(STREAM, 'm.yaml');
    assert.deepEqual(errors, []);
    const [first, second, third] = objects;
    assert.deepEqual(
      objects.map((o) => [o.object.metadata.name, o.origin.line]),
      [
        ['first', 2],
        ['second', 8],
        ['third', 23],
      ],
    );
    // Located later, as lint does for a finding: the document is parsed again.
    assert.equal(first!.origin.locate!(['data', 'a']).line, 6);
    assert.equal(second!.origin.locate!(['spec', 'replicas']).line, 13);
    assert.equal(second!.origin.locate!(['spec', 'template', 'spec', 'containers', 0, 'image']).line, 18);
    // A path that is not there: where its nearest ancestor's value begins.
    assert.equal(second!.origin.locate!(['spec', 'template', 'spec', 'securityContext']).line, 16);
    assert.equal(third!.origin.locate!(['spec', 'selector']).line, 27);
    assert.equal(third!.origin.locate!(['spec', 'selector']).column, 17);
  });

  it('places every path the same whether it kept the syntax trees or parses a document again', () => {
    const kept = readManifestText(STREAM, 'm.yaml');
    const reparsed = readManifestText(STREAM, 'm.yaml', { keepTreesUpTo: 0 });
    const paths: (string | number)[][] = [
      [],
      ['metadata'],
      ['metadata', 'name'],
      ['data', 'a'],
      ['spec', 'replicas'],
      ['spec', 'template', 'spec', 'containers', 0, 'name'],
      ['spec', 'template', 'spec', 'containers', 0, 'image'],
      ['spec', 'selector', 'app'],
      ['spec', 'nothing', 'here'],
    ];
    for (const [i, object] of kept.objects.entries())
      for (const path of paths)
        assert.deepEqual(
          reparsed.objects[i]!.origin.locate!(path),
          object.origin.locate!(path),
          path.join('.'),
        );
  });
});
