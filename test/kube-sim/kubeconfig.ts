/** @module A kubeconfig with one context per simulated cluster (plain HTTP on loopback, a token user). */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export function kubeconfigText(clusters: { context: string; url: string; namespace?: string }[]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': clusters[0]?.context ?? '',
    // Plain HTTP on loopback: client-node accepts it only with TLS verification off.
    clusters: clusters.map((c) => ({
      name: c.context,
      cluster: { server: c.url, 'insecure-skip-tls-verify': true },
    })),
    users: [{ name: 'slipway', user: { token: 'kube-sim' } }],
    contexts: clusters.map((c) => ({
      name: c.context,
      context: { cluster: c.context, user: 'slipway', ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
    preferences: {},
  });
}

export function writeKubeconfig(path: string, clusters: { context: string; url: string }[]): void {
  writeFileSync(path, kubeconfigText(clusters), { mode: 0o600 });
}
