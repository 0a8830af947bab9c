/**
 * A large manifest is linted within a bounded heap: past a few MB the reader keeps objects, not syntax trees,
 * and places each finding by parsing its document again. 8 000 Deployments (9 MB) need more than 300 MB of heap
 * when the trees are kept; here they must fit in 240 MB.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const deployment = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 50}
  labels: { app: app-${i}, team: team-${i % 50} }
spec:
  replicas: 2
  selector:
    matchLabels: { app: app-${i} }
  template:
    metadata:
      labels: { app: app-${i}, team: team-${i % 50} }
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${i}:v1.${i}
          ports: [{ containerPort: 8080, name: http }]
          readinessProbe: { httpGet: { path: /ready, port: http } }
          livenessProbe: { httpGet: { path: /health, port: http } }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }
          env:
            - { name: SERVICE_NAME, value: app-${i} }
            - { name: FEATURE_FLAGS, value: "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,${i}" }
            - { name: DESCRIPTION, value: "a long description of service number ${i} that pads this manifest to a realistic size" }
`;

describe('a large manifest', { timeout: 180_000 }, () => {
  it('is linted in a bounded heap, every object checked and every finding placed', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slipway-large-')), 'big.yaml');
    const text = Array.from({ length: 8000 }, (_, i) => deployment(i)).join('---\n');
    writeFileSync(file, text);
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=240', 'bin/slipway.js', 'lint', file, '--format', 'json'],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    assert.equal(r.status, 1, r.stderr.slice(0, 2000)); // findings, not a crash
    const report = JSON.parse(r.stdout) as { objects: number; findings: { line: number; object?: string }[] };
    assert.equal(report.objects, 8000);
    // The last Deployment's findings are placed in its own document.
    const lastStart = text.slice(0, text.lastIndexOf('apiVersion: apps/v1')).split('\n').length;
    const last = report.findings.reduce((max, f) => Math.max(max, f.line), 0);
    assert.ok(last >= lastStart, `last line ${last}, last document from ${lastStart}`);
  });
});
