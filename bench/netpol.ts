/**
 * bench/netpol — `slipway netpol` on generated clusters of 2,000 and 10,000 workloads (50 to a namespace,
 * each calling the next two), under three policy regimes: default deny (per namespace, DNS allowed), an
 * allow-list (default deny plus a policy per workload for its declared callers and calls) and allow-all.
 * Each run is a child process: its time to read the YAML (the baseline, measured in the same run: what
 * any tool must pay), to analyse it, and its peak memory.
 *
 *   npm run bench:netpol
 *
 * BENCH_WORKLOADS=2000,10000 changes the sizes. Last line (the largest size, worst regime):
 * netpol: workloads=N seconds=X peak_mb=Y
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIZES = (process.env['BENCH_WORKLOADS'] ?? '2000,10000').split(',').map(Number);
const PER_NAMESPACE = 50;
type Regime = 'default-deny' | 'allow-list' | 'allow-all';

function workload(i: number): string {
  const ns = `team-${Math.floor(i / PER_NAMESPACE)}`;
  const next = [i + 1, i + 2].filter((j) => Math.floor(j / PER_NAMESPACE) === Math.floor(i / PER_NAMESPACE));
  return `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: w${i}
  namespace: ${ns}
  annotations: { slipway.dev/depends-on: "${next.map((j) => `w${j}`).join(',')}" }
spec:
  replicas: 2
  selector: { matchLabels: { app.kubernetes.io/name: w${i} } }
  template:
    metadata: { labels: { app.kubernetes.io/name: w${i}, tier: t${i % 3} } }
    spec:
      containers:
        - name: app
          image: registry.example.com/w${i}:1.0.0
          ports: [{ name: http, containerPort: 8080 }]
`;
}

function namespacePolicies(ns: string, regime: Regime): string {
  if (regime === 'allow-all')
    return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all, namespace: ${ns} }
spec: { podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{}], egress: [{}] }
`;
  return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: ${ns} }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: ${ns} }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
      ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }]
`;
}

function workloadPolicy(i: number): string {
  const ns = `team-${Math.floor(i / PER_NAMESPACE)}`;
  const same = (j: number) => j >= 0 && Math.floor(j / PER_NAMESPACE) === Math.floor(i / PER_NAMESPACE);
  const callers = [i - 1, i - 2].filter(same);
  const calls = [i + 1, i + 2].filter(same);
  const peers = (ids: number[]) =>
    `[${ids.map((j) => `{ podSelector: { matchLabels: { app.kubernetes.io/name: w${j} } } }`).join(', ')}]`;
  return `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: w${i}, namespace: ${ns} }
spec:
  podSelector: { matchLabels: { app.kubernetes.io/name: w${i} } }
  policyTypes: [Ingress, Egress]
  ingress: ${callers.length ? `[{ from: ${peers(callers)}, ports: [{ port: http }] }]` : '[]'}
  egress: ${calls.length ? `[{ to: ${peers(calls)}, ports: [{ port: 8080 }] }]` : '[]'}
`;
}

function manifest(n: number, regime: Regime): string {
  const parts: string[] = [];
  for (let ns = 0; ns * PER_NAMESPACE < n; ns++) {
    parts.push(`---\napiVersion: v1\nkind: Namespace\nmetadata: { name: team-${ns} }\n`);
    parts.push(namespacePolicies(`team-${ns}`, regime));
  }
  for (let i = 0; i < n; i++) {
    parts.push(workload(i));
    if (regime === 'allow-list') parts.push(workloadPolicy(i));
  }
  return parts.join('');
}

interface Run {
  readMs: number;
  analyzeMs: number;
  peakMb: number;
  lines: number;
  dropped: number;
}

const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-netpol-'));
let worst: { n: number; seconds: number; peakMb: number } | undefined;
try {
  for (const n of SIZES)
    for (const regime of ['default-deny', 'allow-list', 'allow-all'] as Regime[]) {
      const file = join(dir, `${regime}-${n}.yaml`);
      writeFileSync(file, manifest(n, regime));
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/lib/netpol-child.ts', file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(child.stderr);
      const r = JSON.parse(child.stdout) as Run;
      const seconds = (r.readMs + r.analyzeMs) / 1000;
      console.log(
        `netpol ${regime.padEnd(12)} ${String(n).padStart(6)} workloads: read ${(r.readMs / 1000).toFixed(2)} s (baseline), analyse ${(r.analyzeMs / 1000).toFixed(2)} s = ${(r.analyzeMs / r.readMs).toFixed(2)} × the read; peak ${r.peakMb.toFixed(0)} MB; ${r.lines} report lines, ${r.dropped} dropped calls`,
      );
      if (n === Math.max(...SIZES) && (!worst || seconds > worst.seconds))
        worst = { n, seconds, peakMb: r.peakMb };
    }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `netpol: workloads=${worst!.n} seconds=${worst!.seconds.toFixed(2)} peak_mb=${worst!.peakMb.toFixed(0)}`,
);
