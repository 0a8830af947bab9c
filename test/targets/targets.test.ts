/**
 * One contract, four adapters: the in-memory fake, the local target (real processes) in this process and
 * in its data plane process, the Kubernetes target (simulated cluster).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpecText } from '../../src/spec/index.js';
import { KubernetesTarget } from '../../src/targets/kubernetes/kubernetes-target.js';
import { attachDataPlane, stopDataPlane } from '../../src/targets/local/dataplane/attach.js';
import { RemoteLocalTarget } from '../../src/targets/local/dataplane/remote-local-target.js';
import { LocalTarget } from '../../src/targets/local/local-target.js';
import { KubeSim } from '../kube-sim/kube-sim.js';
import { writeKubeconfig } from '../kube-sim/kubeconfig.js';
import { demoService } from '../local/local-harness.js';
import { FakeTarget } from './fake-target.js';
import { runTargetContract } from './target-contract.js';

runTargetContract({
  name: 'in-memory fake',
  create: async () => ({
    target: new FakeTarget(),
    ref: { service: 'web', cluster: 'fake' },

    [Symbol.asyncDispose]: async () => undefined,
  }),
});

runTargetContract({
  name: 'local',
  create: async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'slipway-contract-'));
    const target = new LocalTarget({
      cluster: 'contract',
      stateDir,
      services: [
        demoService({
          versionEnv: { crash: { DEMO_EXIT_AT_START: '3' }, slow: { DEMO_SLOW_START_MS: '5000' } },
        }),
      ],
    });
    await target.start();
    return {
      target,
      ref: { service: 'web', cluster: 'contract' },

      [Symbol.asyncDispose]: () => target.close(),
    };
  },
});

runTargetContract({
  name: 'local, in its data plane process',
  create: async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'slipway-contract-'));
    const client = await attachDataPlane({
      stateDir,
      clusters: [
        {
          cluster: 'contract',
          services: [
            demoService({
              versionEnv: { crash: { DEMO_EXIT_AT_START: '3' }, slow: { DEMO_SLOW_START_MS: '5000' } },
            }),
          ],
        },
      ],
    });
    return {
      target: new RemoteLocalTarget('contract', client),
      ref: { service: 'web', cluster: 'contract' },

      [Symbol.asyncDispose]: () => stopDataPlane(client),
    };
  },
});

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: contract }
environments:
  production:
    namespace: shop
    clusters: { contract: { kubernetes: { context: sim } } }
services:
  web:
    image: registry.example.com/shop/web
    port: 8080
    replicas: 2
    health: { readiness: /health }
    release: { strategy: rolling }
`;

runTargetContract({
  name: 'kubernetes (simulated cluster)',
  create: async () => {
    const loaded = loadSpecText(SPEC, 'contract.yaml');
    if (!loaded.ok) throw new Error('contract spec');
    const sim = new KubeSim({
      readyDelayMs: 50,
      badImage: (image) => (image.endsWith(':crash') ? 'crashloop' : undefined),
      readyDelayFor: (image) => (image.endsWith(':slow') ? 5_000 : undefined),
    });
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'slipway-contract-')), 'kubeconfig');
    writeKubeconfig(kubeconfig, [{ context: 'sim', url: await sim.start() }]);
    const target = new KubernetesTarget({
      cluster: 'contract',
      spec: loaded.spec,
      context: 'sim',
      kubeconfig,
      pollMs: 25,
    });
    return {
      target,
      ref: { service: 'web', cluster: 'contract' },

      [Symbol.asyncDispose]: () => sim.close(),
    };
  },
});
