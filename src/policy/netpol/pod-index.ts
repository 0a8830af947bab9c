/**
 * @module Pods by namespace and by label, as bitsets: a selector's pods are the intersection of its
 * matchLabels' posting lists (then its expressions, on what is left), not a scan of every pod — so that a
 * policy per workload over ten thousand workloads stays linear.
 */
import { dig, isRecord, records, selectorMatches, stringMap } from '../../render/object-access.js';
import { Bitset } from './bitset.js';
import type { PodGroup } from './model.js';

export class PodIndex {
  readonly size: number;
  private readonly byNamespace = new Map<string, Bitset>();
  private readonly byLabel = new Map<string, Bitset>();
  private readonly empty: Bitset;
  readonly everyone: Bitset;

  constructor(
    readonly pods: PodGroup[],
    private readonly namespaceLabels: (namespace: string) => Record<string, string>,
  ) {
    this.size = pods.length;
    this.empty = new Bitset(this.size);
    this.everyone = Bitset.all(this.size);
    pods.forEach((pod, i) => {
      this.posting(this.byNamespace, pod.namespace).add(i);
      for (const [k, v] of Object.entries(pod.labels)) this.posting(this.byLabel, `${k}=${v}`).add(i);
    });
  }

  private posting(map: Map<string, Bitset>, key: string): Bitset {
    let b = map.get(key);
    if (!b) map.set(key, (b = new Bitset(this.size)));
    return b;
  }

  inNamespace(namespace: string): Bitset {
    return this.byNamespace.get(namespace) ?? this.empty;
  }

  /** The namespaces (of pods in the input) whose labels a namespaceSelector matches. */
  namespacesMatching(selector: unknown): string[] {
    return [...this.byNamespace.keys()].filter((ns) => selectorMatches(selector, this.namespaceLabels(ns)));
  }

  /** The pods of `within` that a label selector matches (absent: all of them). */
  select(selector: unknown, within: Bitset): Bitset {
    const out = within.clone();
    if (!isRecord(selector)) return out;
    for (const [k, v] of Object.entries(stringMap(selector['matchLabels'])))
      out.and(this.byLabel.get(`${k}=${v}`) ?? this.empty);
    if (records(dig(selector, 'matchExpressions')).length === 0) return out;
    const filtered = new Bitset(this.size);
    for (const i of out) if (selectorMatches(selector, this.pods[i]!.labels)) filtered.add(i);
    return filtered;
  }
}
