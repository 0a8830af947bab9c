/** @module Reachability compared with intent: declared calls that policies drop, and allowed paths nobody declared. */
import { buildModel, type ContainerPort, type NetworkModel, type PodGroup } from './model.js';
import { connection, type Verdict } from './reachability.js';
import type { Cidr } from './ip-blocks.js';
import type { K8sObject } from '../../render/k8s-object.js';
import { callPorts } from '../../render/network-policy.js';

export interface DroppedCall {
  source: string;
  destination: string;
  service: string;
  ports: string[];
  reason: string;
}

export interface UndeclaredPath {
  source: string;
  destination: string;
  ports: string[];
}

export interface NetpolReport {
  pods: string[];
  dropped: DroppedCall[];
  /** Declared dependencies that match no workload of the input. */
  unresolved: { source: string; service: string }[];
  undeclared: UndeclaredPath[];
  dnsBlocked: string[];
  /** Every allowed connection between different workloads and the rules that allow it. */
  explained: { source: string; destination: string; port: string; egress: string; ingress: string }[];
  /** source id → destination id → reachable ports. */
  matrix: Map<string, Map<string, string[]>>;
}

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
  exposedTo?: (service: string) => { namespace?: string; podLabels?: Record<string, string> }[],
  /** Where pod IPs live, for ipBlock peers (`--pod-cidr`). */
  podCidrs: Cidr[] = [],
): NetpolReport {
  const model: NetworkModel = buildModel(objects, declared, podCidrs);
  const real = model.pods.filter((p) => !p.virtual);
  const dns = model.pods.find((p) => p.virtual)!;
  const report: NetpolReport = {
    pods: real.map((p) => p.id),
    dropped: [],
    unresolved: [],
    undeclared: [],
    explained: [],
    dnsBlocked: [],
    matrix: new Map(),
  };
  const declaredPairs = new Set<string>();
  for (const source of real) {
    for (const service of source.dependsOn) {
      const targets = real.filter((p) => p.service === service);
      const preferred = targets.filter((t) => t.namespace === source.namespace);
      const chosen = preferred.length > 0 ? preferred : targets;
      if (chosen.length === 0) {
        report.unresolved.push({ source: source.id, service });
        continue;
      }
      for (const destination of chosen) {
        declaredPairs.add(`${source.id}→${destination.id}`);
        const ports = callPorts(destination.ports);
        if (ports.length === 0) continue;
        const verdicts = ports.map((port) => ({
          port,
          verdict: connection(model, source, destination, port),
        }));
        if (verdicts.some((v) => v.verdict.allowed)) continue;
        report.dropped.push({
          source: source.id,
          destination: destination.id,
          service,
          ports: ports.map(portText),
          reason: explain(verdicts[0]!.verdict, source, destination),
        });
      }
    }
    if (!dns.ports.some((port) => connection(model, source, dns, port).allowed))
      report.dnsBlocked.push(source.id);
  }
  for (const source of real) {
    const row = new Map<string, string[]>();
    for (const destination of real) {
      const open = destination.ports
        .map((port) => ({ port, verdict: connection(model, source, destination, port) }))
        .filter((v) => v.verdict.allowed);
      const ports = open.map((v) => portText(v.port));
      row.set(destination.id, ports);
      if (source !== destination)
        for (const { port, verdict } of open)
          report.explained.push({
            source: source.id,
            destination: destination.id,
            port: portText(port),
            egress: verdict.allowedBy!.egress,
            ingress: verdict.allowedBy!.ingress,
          });
      if (source === destination || ports.length === 0) continue;
      const exposed = (exposedTo?.(destination.service) ?? []).some(
        (from) =>
          (from.namespace === undefined
            ? source.namespace === destination.namespace
            : source.namespace === from.namespace) &&
          Object.entries(from.podLabels ?? {}).every(([k, v]) => source.labels[k] === v),
      );
      if (!exposed && !declaredPairs.has(`${source.id}→${destination.id}`))
        report.undeclared.push({ source: source.id, destination: destination.id, ports });
    }
    report.matrix.set(source.id, row);
  }
  return report;
}
