/** @module A service as one environment and cluster see it: overrides applied, namespace and ports resolved. */
import { clustersOf, replicasOf } from '../plan/plan-release.js';
import type { Cluster, Environment, Platform } from '../spec/schema/platform.js';
import type { Service } from '../spec/schema/service.js';
import { namespaceFor } from '../spec/namespace-for.js';

export interface PortView {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface ServiceView {
  platform: string;
  environment: string;
  cluster: string;
  name: string;
  /** The spec entry with the environment's overrides applied (replicas, resources, autoscale, env). */
  service: Service;
  namespace: string;
  replicas: number;
  image: string | undefined;
  version: string | undefined;
  ports: PortView[];
  /** The port clients call: `port`, else the first of `ports`. */
  primary: PortView | undefined;
  clusterSpec: Cluster;
  environmentSpec: Environment;
}

export { namespaceFor } from '../spec/namespace-for.js';

function portsOf(service: Service): PortView[] {
  const ports: PortView[] = [];
  if (service.port !== undefined) ports.push({ name: 'http', port: service.port, protocol: 'TCP' });
  for (const p of service.ports ?? [])
    if (!ports.some((q) => q.port === p.port))
      ports.push({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' });
  return ports;
}

export function serviceView(spec: Platform, environment: string, cluster: string, name: string): ServiceView {
  const env = spec.environments[environment]!;
  const base = spec.services[name]!;
  const override = env.overrides?.services[name];
  const service: Service = {
    ...base,
    ...(override?.resources ? { resources: override.resources } : {}),
    ...(override?.autoscale ? { autoscale: override.autoscale } : {}),
    ...(override?.env ? { config: { ...base.config, env: { ...base.config?.env, ...override.env } } } : {}),
  };
  const ports = portsOf(service);
  return {
    platform: spec.metadata.name,
    environment,
    cluster,
    name,
    service,
    namespace: namespaceFor(spec, environment, cluster, name),
    replicas: replicasOf(spec, environment, name),
    image: base.image,
    version: base.version,
    ports,
    primary: ports[0],
    clusterSpec: env.clusters[cluster]!,
    environmentSpec: env,
  };
}

/** Every (cluster, service) of an environment, in spec order. */
export function servicesOf(spec: Platform, environment: string): ServiceView[] {
  const views: ServiceView[] = [];
  for (const cluster of Object.keys(spec.environments[environment]!.clusters))
    for (const name of Object.keys(spec.services))
      if (clustersOf(spec, environment, name).includes(cluster))
        views.push(serviceView(spec, environment, cluster, name));
  return views;
}

/** The image reference with its tag: `image:version`, or the image as written when it has a tag or digest. */
export function imageRef(view: ServiceView): string | undefined {
  if (!view.image) return undefined;
  const lastSegment = view.image.split('/').pop() ?? '';
  if (lastSegment.includes(':') || view.image.includes('@')) return view.image;
  if (!view.version) return view.image;
  // A digest version pins the image by content (`image@sha256:…`); a tag names it (`image:v2`).
  return /^sha(256|512):/.test(view.version)
    ? `${view.image}@${view.version}`
    : `${view.image}:${view.version}`;
}
