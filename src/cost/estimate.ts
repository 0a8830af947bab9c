/** @module The monthly cost estimate of an environment from requests and limits, at the spec's unit prices. */
import { clustersOf, replicasOf } from '../plan/plan-release.js';
import type { Platform } from '../spec/schema/platform.js';
import { parseCpu, parseMemory } from '../spec/units.js';

export interface Prices {
  currency: string;
  cpuCoreMonth: number;
  memoryGiBMonth: number;
  gpuMonth: number;
}

export interface CostRow {
  service: string;
  /** Replicas per cluster × clusters. */
  replicas: number;
  clusters: number;
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  gpus: number;
  /** Monthly cost of what the replicas request (what the scheduler reserves). */
  requests: number;
  /** Monthly cost if every replica used its limits. */
  limits: number;
  /** Monthly cost at the autoscaler's maximum, when the service autoscales. */
  atMax?: number;
  /** Why the row has no numbers (Helm-delivered, no resources). */
  note?: string;
}

export interface CostEstimate {
  environment: string;
  prices: Prices;
  rows: CostRow[];
  total: { requests: number; limits: number; atMax: number };
}

const GIB = 2 ** 30;

export function estimateCost(spec: Platform, environment: string, prices: Prices): CostEstimate {
  const env = spec.environments[environment]!;
  const rows: CostRow[] = [];
  for (const [name, base] of Object.entries(spec.services)) {
    const clusters = clustersOf(spec, environment, name).length;
    if (clusters === 0) continue;
    const override = env.overrides?.services[name];
    const resources = override?.resources ?? base.resources;
    const autoscale = override?.autoscale ?? base.autoscale;
    const perCluster = replicasOf(spec, environment, name);
    const gpus = base.gpu?.count ?? resources?.requests?.gpu ?? resources?.limits?.gpu ?? 0;
    const monthly = (cpu: string | number | undefined, memory: string | number | undefined) =>
      (cpu === undefined ? 0 : parseCpu(cpu) * prices.cpuCoreMonth) +
      (memory === undefined ? 0 : (parseMemory(memory) / GIB) * prices.memoryGiBMonth) +
      gpus * prices.gpuMonth;
    const req = monthly(resources?.requests?.cpu, resources?.requests?.memory);
    const lim = monthly(
      resources?.limits?.cpu ?? resources?.requests?.cpu,
      resources?.limits?.memory ?? resources?.requests?.memory,
    );
    const str = (v: string | number | undefined) => (v === undefined ? undefined : String(v));
    const row: CostRow = {
      service: name,
      replicas: perCluster * clusters,
      clusters,
      ...(str(resources?.requests?.cpu) ? { cpuRequest: str(resources?.requests?.cpu)! } : {}),
      ...(str(resources?.limits?.cpu) ? { cpuLimit: str(resources?.limits?.cpu)! } : {}),
      ...(str(resources?.requests?.memory) ? { memoryRequest: str(resources?.requests?.memory)! } : {}),
      ...(str(resources?.limits?.memory) ? { memoryLimit: str(resources?.limits?.memory)! } : {}),
      gpus,
      requests: req * perCluster * clusters,
      limits: lim * perCluster * clusters,
      ...(autoscale ? { atMax: req * Math.max(autoscale.max, perCluster) * clusters } : {}),
    };
    if (!resources)
      row.note = base.helm
        ? `Helm chart ${base.helm.chart}: resources are in its values`
        : 'no resources declared';
    rows.push(row);
  }
  const sum = (f: (r: CostRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    environment,
    prices,
    rows,
    total: {
      requests: sum((r) => r.requests),
      limits: sum((r) => r.limits),
      atMax: sum((r) => r.atMax ?? r.requests),
    },
  };
}
