/** Simulated clusters named by one kubeconfig, and a controller on a spec that uses them; always torn down. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformRuntime } from '../../src/server/platform-runtime.js';
import { loadSpecText } from '../../src/spec/index.js';
import { KubeSim, type KubeSimOptions } from '../kube-sim/kube-sim.js';
import { writeKubeconfig } from '../kube-sim/kubeconfig.js';
import { ROOT } from '../local/local-harness.js';

export async function startClusters(
  contexts: string[],
  options: KubeSimOptions = {},
  perContext: Record<string, KubeSimOptions> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-kube-'));
  const sims = new Map(
    contexts.map((c) => [c, new KubeSim({ name: c, readyDelayMs: 100, ...options, ...perContext[c] })]),
  );
  const urls = await Promise.all([...sims.values()].map((s) => s.start()));
  const kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(
    kubeconfig,
    contexts.map((context, i) => ({ context, url: urls[i]! })),
  );
  return {
    dir,
    kubeconfig,
    sims,
    sim: (context: string) => sims.get(context)!,
    async [Symbol.asyncDispose]() {
      await Promise.all([...sims.values()].map((s) => s.close()));
    },
  };
}

export async function startKubeRuntime(specText: string, kubeconfig: string, stateDir: string, root = ROOT) {
  const result = loadSpecText(specText, 'kube-test.yaml');
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.location?.line}: ${e.message}`).join('\n'));
  writeFileSync(join(stateDir, 'slipway.yaml'), specText);
  const lines: string[] = [];
  const runtime = new PlatformRuntime({
    spec: result.spec,
    root,
    stateDir: join(stateDir, 'state'),
    pollMs: 50,
    kubePollMs: 50,
    kubeconfig,
    log: (l) => lines.push(l),
  });
  await runtime.start();
  return {
    runtime,
    controller: runtime.controller,
    spec: result.spec,
    lines,
    async [Symbol.asyncDispose]() {
      await runtime.close();
    },
  };
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A reader of the simulated cluster's stored objects in one namespace: kind and name → the object, if any. */
export function liveObject(sim: KubeSim, namespace: string) {
  return (kind: string, name: string) =>
    sim.store.get(
      sim.served().find((r) => r.kind === kind)!,
      namespace,
      name,
    )?.object as Obj | undefined;
}

/**
 * A spec of one service, `storefront` (4 replicas, namespace shop), exposed through the gateway of cluster
 * `east` (context sim-east), released as a canary with these extra release lines (6-space indented).
 */
export const gatewayCanarySpec = (release: string) => `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: gateway-canary }
environments:
  production:
    namespace: shop
    clusters: { east: { kubernetes: { context: sim-east, gateway: { name: gw, namespace: infra } } } }
services:
  storefront:
    image: registry.example.com/shop/storefront
    version: v1
    port: 8080
    replicas: 4
    health: { readiness: /health }
    expose: { type: public, host: shop.example.com }
    release:
      strategy: canary
${release}`;

/** The backends of the HTTPRoute's default rule (the one without header matches), as [name, weight]. */
export function routeBackends(
  get: ReturnType<typeof liveObject>,
  route: string,
): [string, number | undefined][] {
  const rule = (get('HTTPRoute', route)!['spec']['rules'] as Obj[]).at(-1)!;
  return rule['backendRefs'].map((b: Obj) => [b['name'], b['weight']]);
}
