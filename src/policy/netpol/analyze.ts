/**
 * @module Reachability compared with intent: declared calls that policies drop, and allowed paths nobody
 * declared. Reachability comes as sets per destination port (reach-sets.ts), so ten thousand workloads
 * take seconds; the undeclared paths of a destination with many callers are summarised ("any pod →
 * frontend 8080/TCP") instead of listed pair by pair, and the per-pair explanation and the matrix, which
 * grow as pods², are computed only when asked for.
 */
import { buildModel, type ContainerPort, type NetworkModel, type PodGroup } from './model.js';
import { connection, type Verdict } from './reachability.js';
import type { Cidr } from './ip-blocks.js';
import type { K8sObject } from '../../render/k8s-object.js';
import { callPorts } from '../../render/network-policy.js';
import { Bitset } from './bitset.js';
import { pushTo } from './push-to.js';
import { ReachSets } from './reach-sets.js';
import { appendAll } from '../../io/append-all.js';

export interface DroppedCall {
  source: string;
  destination: string;
  service: string;
  ports: string[];
  reason: string;
}

export interface UndeclaredPath {
  /** A workload, or a summary of several: "any pod", "any pod in shop", "40 pods (shop/a, shop/b, …)". */
  source: string;
  destination: string;
  ports: string[];
  /** How many workloads a summary stands for. */
  sources?: number;
}

export interface NetpolReport {
  pods: string[];
  dropped: DroppedCall[];
  /** Declared dependencies that match no workload of the input. */
  unresolved: { source: string; service: string }[];
  undeclared: UndeclaredPath[];
  dnsBlocked: string[];
  /** Every allowed connection between different workloads and the rules that allow it (when asked). */
  explained?: { source: string; destination: string; port: string; egress: string; ingress: string }[];
  /** source id → destination id → reachable ports (when asked). */
  matrix?: Map<string, Map<string, string[]>>;
}

export interface AnalyzeOptions {
  matrix?: boolean;
  explain?: boolean;
}

type Exposure = { namespace?: string; podLabels?: Record<string, string> }[];

/** Undeclared callers of one destination listed one by one up to this many; summarised beyond. */
export const PAIR_LIMIT = 25;

const portText = (p: ContainerPort) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''}`;

function explain(verdict: Verdict, source: PodGroup, destination: PodGroup): string {
  const b = verdict.blockedBy!;
  const who = b.side === 'Egress' ? `egress of ${source.id}` : `ingress of ${destination.id}`;
  return `${who} is isolated by ${b.policies.join(', ')} and no rule allows it`;
}

export function analyze(
  objects: K8sObject[],
  declared?: (service: string) => string[] | undefined,
  /** Callers outside `dependsOn` that a service is declared to accept (the spec's `expose.from`). */
  exposedTo?: (service: string) => Exposure,
  /** Where pod IPs live, for ipBlock peers (`--pod-cidr`). */
  podCidrs: Cidr[] = [],
  options: AnalyzeOptions = {},
): NetpolReport {
  const model: NetworkModel = buildModel(objects, declared, podCidrs);
  const reach = new ReachSets(model);
  const real = model.pods.filter((p) => !p.virtual);
  const report: NetpolReport = {
    pods: real.map((p) => p.id),
    dropped: [],
    unresolved: [],
    undeclared: [],
    dnsBlocked: dnsBlocked(model, reach),
  };
  const declaredSources = declaredCalls(model, report);
  const realPods = new Bitset(model.pods.length);
  real.forEach((_, i) => realPods.add(i));
  if (options.matrix) report.matrix = new Map(real.map((s) => [s.id, new Map(real.map((d) => [d.id, []]))]));
  if (options.explain) report.explained = [];
  real.forEach((destination, d) => {
    const sets = destination.ports.map((_, p) => reach.sourcesOf(d, p).and(realPods));
    if (report.matrix || report.explained) detail(model, report, destination, sets);
    const excluded = declaredSources.get(d) ?? new Bitset(model.pods.length);
    excluded.add(d).or(exposedSources(reach, destination, exposedTo?.(destination.service) ?? []));
    const undeclared = sets.map((set) => set.clone().andNot(excluded));
    appendAll(
      report.undeclared,
      summarise(model, destination, undeclared, realPods.clone().andNot(excluded)),
    );
  });
  return report;
}

/** Each declared call checked on its ports; returns the declared callers of each destination. */
function declaredCalls(model: NetworkModel, report: NetpolReport): Map<number, Bitset> {
  const real = model.pods.filter((p) => !p.virtual);
  const byService = new Map<string, number[]>();
  real.forEach((p, i) => pushTo(byService, p.service, i));
  const out = new Map<number, Bitset>();
  real.forEach((source, s) => {
    for (const service of source.dependsOn) {
      const targets = byService.get(service) ?? [];
      const preferred = targets.filter((t) => real[t]!.namespace === source.namespace);
      const chosen = preferred.length > 0 ? preferred : targets;
      if (chosen.length === 0) report.unresolved.push({ source: source.id, service });
      for (const t of chosen) {
        const destination = real[t]!;
        if (!out.has(t)) out.set(t, new Bitset(model.pods.length));
        out.get(t)!.add(s);
        const ports = callPorts(destination.ports);
        if (ports.length === 0) continue;
        const verdicts = ports.map((port) => connection(model, source, destination, port));
        if (verdicts.some((v) => v.allowed)) continue;
        report.dropped.push({
          source: source.id,
          destination: destination.id,
          service,
          ports: ports.map(portText),
          reason: explain(verdicts[0]!, source, destination),
        });
      }
    }
  });
  return out;
}

/** The workloads whose egress to the cluster DNS (any of its ports) no policy allows. */
function dnsBlocked(model: NetworkModel, reach: ReachSets): string[] {
  const d = model.pods.findIndex((p) => p.virtual);
  const reaches = new Bitset(model.pods.length);
  model.pods[d]!.ports.forEach((_, p) => reaches.or(reach.sourcesOf(d, p)));
  return model.pods.filter((p, i) => !p.virtual && !reaches.has(i)).map((p) => p.id);
}

/** Pods a destination is declared to accept besides dependsOn (`expose.from`). */
function exposedSources(reach: ReachSets, destination: PodGroup, from: Exposure): Bitset {
  const out = new Bitset(reach.index.size);
  for (const f of from)
    out.or(
      reach.index.select(
        { matchLabels: f.podLabels ?? {} },
        reach.index.inNamespace(f.namespace ?? destination.namespace),
      ),
    );
  return out;
}

function explained(model: NetworkModel, source: PodGroup, destination: PodGroup, port: ContainerPort) {
  const verdict = connection(model, source, destination, port);
  return {
    source: source.id,
    destination: destination.id,
    port: portText(port),
    egress: verdict.allowedBy?.egress ?? '?',
    ingress: verdict.allowedBy?.ingress ?? '?',
  };
}

/** The matrix and the per-pair explanation (asked for: both grow as pods²). */
function detail(model: NetworkModel, report: NetpolReport, destination: PodGroup, sets: Bitset[]): void {
  destination.ports.forEach((port, p) => {
    for (const s of sets[p]!) {
      const source = model.pods[s]!;
      report.matrix?.get(source.id)!.get(destination.id)!.push(portText(port));
      if (source !== destination) report.explained?.push(explained(model, source, destination, port));
    }
  });
}

/**
 * A destination's undeclared callers (one set per port): listed when few; beyond PAIR_LIMIT, one entry per
 * group of callers that reach the same ports — "any pod" when it is every workload not declared, else the
 * namespaces it covers whole, else a count with the first few. Set operations only: an allow-all cluster
 * of 10,000 workloads is never walked pair by pair.
 */
function summarise(
  model: NetworkModel,
  destination: PodGroup,
  perPort: Bitset[],
  everyone: Bitset,
): UndeclaredPath[] {
  const id = (s: number) => model.pods[s]!.id;
  const union = new Bitset(model.pods.length);
  for (const set of perPort) union.or(set);
  const portsOf = (s: number) => destination.ports.filter((_, p) => perPort[p]!.has(s)).map(portText);
  if (union.count() <= PAIR_LIMIT)
    return [...union].map((s) => ({ source: id(s), destination: destination.id, ports: portsOf(s) }));
  const all = everyone.count();
  return regions(perPort).map(({ set, ports }) => {
    const count = set.count();
    const entry = {
      destination: destination.id,
      ports: ports.map((p) => portText(destination.ports[p]!)),
      sources: count,
    };
    if (count === all) return { source: 'any pod', ...entry };
    const first: number[] = [];
    const touched = new Map<string, number>();
    for (const s of set) {
      if (first.length < 3) first.push(s);
      const ns = model.pods[s]!.namespace;
      touched.set(ns, (touched.get(ns) ?? 0) + 1);
    }
    // Whole namespaces: every caller there that is not declared is in the group.
    const eligible = new Map<string, number>();
    for (const s of everyone) {
      const ns = model.pods[s]!.namespace;
      if (touched.has(ns)) eligible.set(ns, (eligible.get(ns) ?? 0) + 1);
    }
    const whole = [...touched].every(([ns, n]) => eligible.get(ns) === n);
    const source = whole
      ? `any pod in ${[...touched.keys()].join(', ')}`
      : `${count} pods (${first.map(id).join(', ')}, …)`;
    return { source, ...entry };
  });
}

/** Groups the callers by the ports they reach: the non-empty cells of the ports' Venn diagram. */
function regions(perPort: Bitset[]): { set: Bitset; ports: number[] }[] {
  const out: { set: Bitset; ports: number[] }[] = [];
  const size = perPort[0]?.size ?? 0;
  // Ports with the same callers are one column of the diagram (usually all of them are).
  const columns: { set: Bitset; ports: number[] }[] = [];
  perPort.forEach((set, p) => {
    const same = columns.find((c) => c.set.words.every((w, i) => w === set.words[i]));
    if (same) same.ports.push(p);
    else columns.push({ set, ports: [p] });
  });
  // Beyond 8 distinct columns (a pod with many ports each allowed to different callers) the first 8 are kept.
  for (let mask = 1; mask < 1 << Math.min(columns.length, 8); mask++) {
    const cell = Bitset.all(size);
    columns.forEach((c, i) => (mask & (1 << i) ? cell.and(c.set) : cell.andNot(c.set)));
    if (cell.count() > 0)
      out.push({ set: cell, ports: columns.filter((_, i) => mask & (1 << i)).flatMap((c) => c.ports) });
  }
  return out;
}
