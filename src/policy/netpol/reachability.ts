/**
 * @module NetworkPolicy semantics, as the API documents them: a pod is isolated in a direction when a
 * policy selecting it has that policy type; allowed traffic is the union of all selecting policies; a
 * connection needs the source's egress and the destination's ingress.
 */
import type { K8sObject } from '../../render/k8s-object.js';
import { dig, isRecord, namespaceOf, records, selectorMatches } from '../../render/object-access.js';
import { ipBlockCoversPods } from './ip-blocks.js';
import type { ContainerPort, NetworkModel, PodGroup } from './model.js';

export type Direction = 'Ingress' | 'Egress';

export function policyTypes(policy: K8sObject): Direction[] {
  const declared = dig(policy, 'spec', 'policyTypes');
  if (Array.isArray(declared) && declared.length > 0)
    return declared.filter((t): t is Direction => t === 'Ingress' || t === 'Egress');
  // Omitted or empty, as the API server defaults it (networking/v1 defaults.go): Ingress always, Egress
  // only when the policy has at least one egress rule — `egress: []` does not make it an egress policy.
  const egress = dig(policy, 'spec', 'egress');
  return Array.isArray(egress) && egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function selects(policy: K8sObject, pod: PodGroup): boolean {
  return (
    namespaceOf(policy) === pod.namespace &&
    selectorMatches(dig(policy, 'spec', 'podSelector') ?? {}, pod.labels)
  );
}

function peerMatches(
  model: NetworkModel,
  policy: K8sObject,
  peer: Record<string, unknown>,
  pod: PodGroup,
): boolean {
  // An ipBlock matches a pod only when it covers every pod address (ip-blocks.ts); none without --pod-cidr.
  if (peer['ipBlock'] !== undefined) return ipBlockCoversPods(peer['ipBlock'], model.podCidrs);
  const podSelector = peer['podSelector'];
  const namespaceSelector = peer['namespaceSelector'];
  if (namespaceSelector === undefined) {
    return pod.namespace === namespaceOf(policy) && selectorMatches(podSelector ?? {}, pod.labels);
  }
  if (!selectorMatches(namespaceSelector, model.namespaceLabels(pod.namespace))) return false;
  return podSelector === undefined || selectorMatches(podSelector, pod.labels);
}

export function portMatches(
  rulePort: Record<string, unknown>,
  target: ContainerPort,
  destination: PodGroup,
): boolean {
  const protocol = (rulePort['protocol'] as string | undefined) ?? 'TCP';
  if (protocol !== target.protocol) return false;
  const port = rulePort['port'];
  if (port === undefined) return true;
  if (typeof port === 'string') {
    // A named port resolves against the destination pod's container ports.
    const resolved = destination.ports.find((p) => p.name === port && p.protocol === protocol);
    return resolved?.port === target.port;
  }
  const end = rulePort['endPort'];
  return typeof end === 'number'
    ? target.port >= Number(port) && target.port <= end
    : Number(port) === target.port;
}

export interface Verdict {
  allowed: boolean;
  /** Why not: the policies that isolate a side without allowing this connection. */
  blockedBy?: { side: Direction; policies: string[] };
  /** Why: per side, "not isolated" or the policy and rule that allow it (np-guard's --explain). */
  allowedBy?: { egress: string; ingress: string };
}

interface SideVerdict {
  allowed: boolean;
  isolating: string[];
  /** The first rule that allows it, as `namespace/policy egress[1]`; "not isolated" when nothing selects. */
  because?: string;
}

function sideAllows(
  model: NetworkModel,
  side: Direction,
  subject: PodGroup,
  peer: PodGroup,
  port: ContainerPort,
  destination: PodGroup,
): SideVerdict {
  const isolating = model
    .policiesIn(subject.namespace)
    .filter((p) => selects(p, subject) && policyTypes(p).includes(side));
  if (isolating.length === 0) return { allowed: true, isolating: [], because: 'not isolated' };
  const field = side === 'Ingress' ? 'ingress' : 'egress';
  const peerField = side === 'Ingress' ? 'from' : 'to';
  const names = isolating.map((p) => `${namespaceOf(p)}/${p.metadata.name}`);
  for (const [i, policy] of isolating.entries()) {
    const index = records(dig(policy, 'spec', field)).findIndex((rule) => {
      const peers = rule[peerField];
      const peerOk =
        !Array.isArray(peers) ||
        peers.length === 0 ||
        peers.filter(isRecord).some((p) => peerMatches(model, policy, p, peer));
      const ports = rule['ports'];
      const portOk =
        !Array.isArray(ports) ||
        ports.length === 0 ||
        ports.filter(isRecord).some((p) => portMatches(p, port, destination));
      return peerOk && portOk;
    });
    if (index >= 0) return { allowed: true, isolating: names, because: `${names[i]} ${field}[${index}]` };
  }
  return { allowed: false, isolating: names };
}

export function connection(
  model: NetworkModel,
  source: PodGroup,
  destination: PodGroup,
  port: ContainerPort,
): Verdict {
  const egress = sideAllows(model, 'Egress', source, destination, port, destination);
  if (!egress.allowed) return { allowed: false, blockedBy: { side: 'Egress', policies: egress.isolating } };
  const ingress = sideAllows(model, 'Ingress', destination, source, port, destination);
  if (!ingress.allowed)
    return { allowed: false, blockedBy: { side: 'Ingress', policies: ingress.isolating } };
  return { allowed: true, allowedBy: { egress: egress.because!, ingress: ingress.because! } };
}
