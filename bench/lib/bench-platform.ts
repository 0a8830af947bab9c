/**
 * The platform bench/render measures: every service probed, resourced and monitored, every other one
 * autoscaled, one in ten exposed with an SLO. The same inputs feed Slipway's spec and the cdk8s app, so
 * the two describe one platform.
 */
import { stringify } from 'yaml';

export interface BenchService {
  name: string;
  image: string;
  version: string;
  namespace: string;
  replicas: number;
  autoscale: boolean;
  dependsOn: string[];
  exposed: boolean;
}

export interface BenchPlatform {
  clusters: string[];
  services: BenchService[];
  /** The Slipway spec of it, as YAML. */
  text: string;
}

function pad(i: number): string {
  return String(i).padStart(4, '0');
}

export function benchServices(count: number): BenchService[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `svc-${pad(i)}`,
    image: `registry.example.com/team-${i % 40}/svc-${pad(i)}`,
    version: `1.${i % 17}.${i % 5}`,
    namespace: `team-${i % 40}`,
    replicas: 2 + (i % 3),
    autoscale: i % 2 === 0,
    dependsOn: i === 0 ? [] : [...new Set([`svc-${pad((i * 7) % i)}`, `svc-${pad(Math.floor(i / 2))}`])],
    exposed: i % 10 === 0,
  }));
}

function serviceSpec(s: BenchService): Record<string, unknown> {
  return {
    image: s.image,
    version: s.version,
    namespace: s.namespace,
    port: 8080,
    replicas: s.replicas,
    health: { readiness: '/ready', liveness: { path: '/live', period: '10s' } },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    ...(s.autoscale ? { autoscale: { min: 3, max: 10, cpu: 70 } } : {}),
    dependsOn: s.dependsOn,
    metrics: { path: '/metrics' },
    config: {
      env: { LOG_LEVEL: 'info', DB_PASSWORD: { secretRef: { name: `${s.name}-db`, key: 'password' } } },
    },
    ...(s.exposed
      ? {
          slos: [{ name: 'availability', objective: '99.9%', sli: { availability: {} } }],
          expose: {
            type: 'public',
            host: `${s.name}.example.com`,
            tls: { issuer: 'letsencrypt', issuerKind: 'ClusterIssuer' },
            gateway: { name: 'edge', namespace: 'gateway' },
          },
        }
      : {}),
  };
}

export function benchPlatform(serviceCount: number, clusterCount: number): BenchPlatform {
  const clusters = Array.from({ length: clusterCount }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const services = benchServices(serviceCount);
  const text = stringify({
    apiVersion: 'slipway.dev/v1',
    kind: 'Platform',
    metadata: { name: 'bench' },
    environments: {
      production: {
        clusters: Object.fromEntries(
          clusters.map((c, i) => [c, { kubernetes: { context: `ctx-${i}` }, region: `r${i % 5}` }]),
        ),
      },
    },
    services: Object.fromEntries(services.map((s) => [s.name, serviceSpec(s)])),
  });
  return { clusters, services, text };
}

/** The kinds both Slipway and the cdk8s app write; counted to check the peers made the same platform. */
export const WORKLOAD_KINDS = [
  'Deployment',
  'Service',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
] as const;

/** Objects per kind in a multi-document YAML text, from its top-level `kind:` lines. */
export function countKinds(yamlText: string, into: Map<string, number> = new Map()): Map<string, number> {
  for (const m of yamlText.matchAll(/^kind: (\w+)$/gm)) into.set(m[1]!, (into.get(m[1]!) ?? 0) + 1);
  return into;
}
