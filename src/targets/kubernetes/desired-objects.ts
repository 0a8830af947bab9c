/**
 * @module What a release applies to a cluster: exactly the objects `slipway render` prints for that
 * environment, cluster and service, with the service at the release's version — and its namespaces.
 */
import { ANNOTATION, type K8sObject } from '../../render/k8s-object.js';
import { renderPlatform } from '../../render/render-platform.js';
import type { Platform } from '../../spec/schema/platform.js';

export const ROLLOUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** The environment a cluster belongs to (a cluster name is unique across environments). */
export function environmentOf(spec: Platform, cluster: string): string | undefined {
  return Object.entries(spec.environments).find(([, env]) => cluster in env.clusters)?.[0];
}

export function withVersion(spec: Platform, service: string, version: string): Platform {
  const base = spec.services[service];
  if (!base) return spec;
  return { ...spec, services: { ...spec.services, [service]: { ...base, version } } };
}

/**
 * Render's objects for one service on one cluster at a version, namespaces first (render's own order).
 * Without a version, the spec's.
 */
export function desiredObjects(
  spec: Platform,
  cluster: string,
  service: string,
  version?: string,
): K8sObject[] {
  const environment = environmentOf(spec, cluster);
  if (!environment) return [];
  const rendered = renderPlatform(version ? withVersion(spec, service, version) : spec, {
    environments: [environment],
    clusters: [cluster],
  }).objects;
  const own = rendered.filter(
    (o) => o.object.metadata.annotations?.[ANNOTATION.source] === `services.${service}`,
  );
  const namespaces = new Set(own.map((o) => o.object.metadata.namespace));
  // The namespace itself, and its shared objects (default-deny and DNS egress policies), go with the
  // first service released into it: without them a service's own policies are not what render meant.
  const shared = (o: K8sObject) =>
    o.metadata.annotations?.[ANNOTATION.source] === undefined &&
    (o.kind === 'Namespace' ? namespaces.has(o.metadata.name) : namespaces.has(o.metadata.namespace));
  return rendered.filter((o) => own.includes(o) || shared(o.object)).map((o) => o.object);
}

/** The workload object (Deployment, StatefulSet or DaemonSet) among a service's objects. */
export function workloadOf(objects: K8sObject[]): K8sObject | undefined {
  return objects.find((o) => ROLLOUT_KINDS.has(o.kind));
}
