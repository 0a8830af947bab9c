/**
 * @module Who may connect to whom, as sets: for a destination pod and one of its ports, the bitset of pods
 * whose egress allows the connection and whose connection the destination's ingress allows — the same
 * answer as `connection()` in reachability.ts for every pair (a property test holds them together), in
 * time near-linear in pods and policies instead of pods² × policies.
 */
import type { K8sObject } from '../../render/k8s-object.js';
import { dig, isRecord, namespaceOf, records } from '../../render/object-access.js';
import { Bitset } from './bitset.js';
import { ipBlockCoversPods } from './ip-blocks.js';
import type { NetworkModel } from './model.js';
import { PodIndex } from './pod-index.js';
import { policyTypes, portMatches } from './reachability.js';

interface CompiledRule {
  peers: Bitset;
  /** Same key, same peers: rules that reach many pods are merged by it. */
  peerKey: string;
  ports: Record<string, unknown>[];
}

interface CompiledPolicy {
  subjects: Bitset;
  ingress?: CompiledRule[];
  egress?: CompiledRule[];
}

/** A rule whose peers are many pods: its sources are merged with every rule of the same peers and ports. */
interface BroadEgress {
  peers: Bitset;
  ports: Record<string, unknown>[];
  sources: Bitset;
}

export class ReachSets {
  readonly index: PodIndex;
  private readonly ingressOf: CompiledPolicy[][];
  private readonly notEgressIsolated: Bitset;
  private readonly broad: BroadEgress[] = [];
  /** `pod:port` → sources allowed by narrow egress rules. */
  private readonly narrow = new Map<string, Bitset>();

  constructor(private readonly model: NetworkModel) {
    this.index = new PodIndex(model.pods, model.namespaceLabels);
    const compiled = model.policies.map((p) => this.compile(p));
    this.ingressOf = model.pods.map(() => []);
    const egressIsolated = new Bitset(this.index.size);
    const broad = new Map<string, BroadEgress>();
    for (const policy of compiled) {
      if (policy.ingress) for (const i of policy.subjects) this.ingressOf[i]!.push(policy);
      if (!policy.egress) continue;
      egressIsolated.or(policy.subjects);
      for (const rule of policy.egress) {
        if (rule.peers.count() > this.index.size / 8) {
          const key = `${rule.peerKey}|${JSON.stringify(rule.ports)}`;
          const merged = broad.get(key);
          if (merged) merged.sources.or(policy.subjects);
          else broad.set(key, { peers: rule.peers, ports: rule.ports, sources: policy.subjects.clone() });
          continue;
        }
        for (const d of rule.peers)
          model.pods[d]!.ports.forEach((port, p) => {
            if (rule.ports.length > 0 && !rule.ports.some((rp) => portMatches(rp, port, model.pods[d]!)))
              return;
            const key = `${d}:${p}`;
            const sources = this.narrow.get(key);
            if (sources) sources.or(policy.subjects);
            else this.narrow.set(key, policy.subjects.clone());
          });
      }
    }
    this.broad = [...broad.values()];
    this.notEgressIsolated = this.index.everyone.clone().andNot(egressIsolated);
  }

  /** The pods that may open a connection to pod `d` on its `p`-th port. */
  sourcesOf(d: number, p: number): Bitset {
    const pod = this.model.pods[d]!;
    const port = pod.ports[p]!;
    const matches = (ports: Record<string, unknown>[]) =>
      ports.length === 0 || ports.some((rp) => portMatches(rp, port, pod));
    let ingress: Bitset | undefined;
    if (this.ingressOf[d]!.length === 0) ingress = this.index.everyone;
    else {
      ingress = new Bitset(this.index.size);
      for (const policy of this.ingressOf[d]!)
        for (const rule of policy.ingress!) if (matches(rule.ports)) ingress.or(rule.peers);
    }
    const egress = this.notEgressIsolated.clone();
    for (const b of this.broad) if (b.peers.has(d) && matches(b.ports)) egress.or(b.sources);
    const narrow = this.narrow.get(`${d}:${p}`);
    if (narrow) egress.or(narrow);
    return egress.and(ingress);
  }

  private compile(policy: K8sObject): CompiledPolicy {
    const namespace = namespaceOf(policy);
    const subjects = this.index.select(
      dig(policy, 'spec', 'podSelector') ?? {},
      this.index.inNamespace(namespace),
    );
    const types = policyTypes(policy);
    const rules = (field: 'ingress' | 'egress', peerField: 'from' | 'to') =>
      records(dig(policy, 'spec', field)).map((rule) =>
        this.compileRule(namespace, rule[peerField], rule['ports']),
      );
    return {
      subjects,
      ...(types.includes('Ingress') ? { ingress: rules('ingress', 'from') } : {}),
      ...(types.includes('Egress') ? { egress: rules('egress', 'to') } : {}),
    };
  }

  private compileRule(namespace: string, peers: unknown, ports: unknown): CompiledRule {
    const portList = Array.isArray(ports) ? ports.filter(isRecord) : [];
    // A rule that lists ports but none readable allows no port, as `some` over nothing does.
    const noPort = Array.isArray(ports) && ports.length > 0 && portList.length === 0;
    if (noPort) return { peers: new Bitset(this.index.size), peerKey: 'none', ports: [] };
    if (!Array.isArray(peers) || peers.length === 0)
      return { peers: this.index.everyone, peerKey: '*', ports: portList };
    const set = new Bitset(this.index.size);
    for (const peer of peers.filter(isRecord)) set.or(this.peerSet(namespace, peer));
    return { peers: set, peerKey: `${namespace}:${JSON.stringify(peers)}`, ports: portList };
  }

  private peerSet(namespace: string, peer: Record<string, unknown>): Bitset {
    const i = this.index;
    if (peer['ipBlock'] !== undefined)
      return ipBlockCoversPods(peer['ipBlock'], this.model.podCidrs) ? i.everyone : new Bitset(i.size);
    const namespaceSelector = peer['namespaceSelector'];
    const podSelector = peer['podSelector'];
    if (namespaceSelector === undefined) return i.select(podSelector ?? {}, i.inNamespace(namespace));
    const inNamespaces = new Bitset(i.size);
    for (const ns of i.namespacesMatching(namespaceSelector)) inNamespaces.or(i.inNamespace(ns));
    return podSelector === undefined ? inNamespaces : i.select(podSelector, inNamespaces);
  }
}
