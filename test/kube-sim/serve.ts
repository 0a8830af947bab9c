/**
 * Serves simulated clusters on loopback and writes a kubeconfig with one context each, so a release can be
 * tried against "clusters" by hand:
 *
 *   npm run kube-sim -- --kubeconfig /tmp/kube-sim.yaml eks-us-east-1 k3s-moscow k3s-spb
 *   KUBECONFIG=/tmp/kube-sim.yaml kubectl --context k3s-moscow get deployments -A
 */
import { parseArgs } from 'node:util';
import { KubeSim } from './kube-sim.js';
import { writeKubeconfig } from './kubeconfig.js';

const { values, positionals } = parseArgs({
  options: {
    kubeconfig: { type: 'string', default: 'kube-sim.kubeconfig' },
    'ready-delay': { type: 'string', default: '500' },
  },
  allowPositionals: true,
});
const names = positionals.length ? positionals : ['kube-sim'];
const sims = names.map((name) => new KubeSim({ name, readyDelayMs: Number(values['ready-delay']) }));
const urls = await Promise.all(sims.map((s) => s.start()));
writeKubeconfig(
  values.kubeconfig!,
  names.map((context, i) => ({ context, url: urls[i]! })),
);
for (const [i, name] of names.entries()) console.log(`${name}: ${urls[i]}`);
console.log(`kubeconfig: ${values.kubeconfig} (Ctrl-C stops)`);
const stop = () => void Promise.all(sims.map((s) => s.close())).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
