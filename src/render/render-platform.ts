/** @module The renderer: spec → every Kubernetes object of each environment and cluster, validated and sorted. */
import { type SourceLocation, SlipwayError } from '../errors/index.js';
import type { SpecPath } from '../spec/spec-path.js';
import type { Platform } from '../spec/schema/platform.js';
import { unknownNameError } from '../spec/suggest.js';
import { autoscaling } from './autoscaling.js';
import { backupObjects } from './backup.js';
import { dashboard } from './dashboard.js';
import { exposure } from './exposure.js';
import type { K8sObject } from './k8s-object.js';
import { ANNOTATION } from './k8s-object.js';
import { serviceMonitor } from './monitoring.js';
import { namespaceObjects, servicePolicy } from './network-policy.js';
import { podConfig } from './pod-config.js';
import { disruptionBudget, services } from './service-objects.js';
import { servicesOf, type ServiceView } from './service-view.js';
import { prometheusRule } from './slo-rules.js';
import { schemaErrors } from './validate-object.js';
import { workload } from './workload.js';

export interface RenderedObject {
  object: K8sObject;
  environment: string;
  cluster: string;
  /** The spec path that produced the object. */
  origin: SpecPath;
}

export interface RenderResult {
  objects: RenderedObject[];
  /** What was not rendered and why (Helm-delivered services, services without an image). */
  notes: string[];
}

export interface RenderOptions {
  environments?: string[];
  /** Only these clusters (the Kubernetes target renders one cluster at a time). */
  clusters?: string[];
  /** Skip schema validation. */
  validate?: boolean;
  /** Where a spec path is in the spec file, so an invalid object points at what produced it. */
  locate?: (path: SpecPath) => SourceLocation;
}

/** Apply order: what others depend on first, as Helm and Argo CD sync waves do. */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ConfigMap',
  'SecretProviderClass',
  'PersistentVolumeClaim',
  'Service',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'TriggerAuthentication',
  'ScaledObject',
  'Certificate',
  'Ingress',
  'HTTPRoute',
  'ServiceMonitor',
  'PrometheusRule',
  'CronJob',
];

function compare(a: RenderedObject, b: RenderedObject, envOrder: string[]): number {
  return (
    envOrder.indexOf(a.environment) - envOrder.indexOf(b.environment) ||
    a.cluster.localeCompare(b.cluster) ||
    (a.object.metadata.namespace ?? a.object.metadata.name).localeCompare(
      b.object.metadata.namespace ?? b.object.metadata.name,
    ) ||
    KIND_ORDER.indexOf(a.object.kind) - KIND_ORDER.indexOf(b.object.kind) ||
    a.object.metadata.name.localeCompare(b.object.metadata.name)
  );
}

function serviceObjects(
  view: ServiceView,
  byName: Map<string, ServiceView>,
  callers: ServiceView[],
): K8sObject[] {
  const config = podConfig(view);
  return [
    ...(config.configMap ? [config.configMap] : []),
    ...(config.secretProviderClass ? [config.secretProviderClass] : []),
    workload(view, config),
    ...services(view),
    ...disruptionBudget(view),
    ...autoscaling(view),
    servicePolicy(view, (name) => byName.get(name), callers),
    ...exposure(view),
    ...serviceMonitor(view),
    ...prometheusRule(view),
    ...dashboard(view),
    ...backupObjects(view),
  ];
}

export function selectEnvironments(spec: Platform, wanted: string[] | undefined): string[] {
  const all = Object.keys(spec.environments);
  if (!wanted) return all;
  for (const name of wanted)
    if (!all.includes(name)) throw unknownNameError('RENDER_UNKNOWN_ENVIRONMENT', 'environment', name, all);
  return all.filter((e) => wanted.includes(e));
}

export function renderPlatform(spec: Platform, options: RenderOptions = {}): RenderResult {
  const environments = selectEnvironments(spec, options.environments);
  const objects: RenderedObject[] = [];
  const notes = new Set<string>();
  for (const environment of environments) {
    const views = servicesOf(spec, environment);
    const clusters = [...new Set(views.map((v) => v.cluster))].filter(
      (c) => !options.clusters || options.clusters.includes(c),
    );
    for (const cluster of clusters) {
      const here = views.filter((v) => v.cluster === cluster);
      const rendered = here.filter((v) => {
        if (v.service.helm) {
          notes.add(
            `${v.name}: delivered by the Helm chart ${v.service.helm.chart}; lint its \`helm template\` output with \`slipway lint\``,
          );
          return false;
        }
        if (!v.image) {
          notes.add(
            `${v.name}: no image, so nothing to render for Kubernetes (it runs on the local target only)`,
          );
          return false;
        }
        return true;
      });
      const byName = new Map(rendered.map((v) => [v.name, v]));
      const namespaces = new Set(rendered.map((v) => v.namespace));
      const add = (object: K8sObject, origin: SpecPath) =>
        objects.push({ object, environment, cluster, origin });
      const addForService = (view: ServiceView, object: K8sObject) => {
        object.metadata.annotations = {
          ...object.metadata.annotations,
          [ANNOTATION.source]: `services.${view.name}`,
        };
        add(object, ['services', view.name]);
      };
      for (const namespace of namespaces)
        for (const object of namespaceObjects(spec.metadata.name, namespace))
          add(object, ['environments', environment, 'clusters', cluster]);
      for (const view of rendered) {
        const expose = view.service.expose;
        if (
          expose?.type === 'public' &&
          expose.via !== 'ingress' &&
          !expose.gateway &&
          !view.clusterSpec.kubernetes?.gateway
        )
          notes.add(
            `${view.name}: no Gateway named (expose.gateway or the cluster's kubernetes.gateway); its HTTPRoute attaches to a Gateway called "gateway" in its namespace`,
          );
        const callers = rendered.filter((c) => c.service.dependsOn?.includes(view.name));
        for (const object of serviceObjects(view, byName, callers)) addForService(view, object);
      }
      for (const helm of here.filter((v) => v.service.helm)) {
        // Alerts and SLOs of Helm-delivered services still belong to the platform's rules.
        for (const object of prometheusRule(helm)) addForService(helm, object);
        if (namespaces.has(helm.namespace))
          notes.add(
            `${helm.name}: shares namespace ${helm.namespace} with a default-deny NetworkPolicy; its chart must bring its own policies`,
          );
      }
    }
  }
  objects.sort((a, b) => compare(a, b, environments));
  if (options.validate !== false) for (const rendered of objects) assertValid(rendered, options.locate);
  return { objects, notes: [...notes].sort() };
}

/** An invalid rendered object is a Slipway bug; the error names the object and the spec entry behind it. */
export function assertValid(rendered: RenderedObject, locate?: (path: SpecPath) => SourceLocation): void {
  const errors = schemaErrors(rendered.object);
  if (errors.length === 0) return;
  const { kind, metadata } = rendered.object;
  throw new SlipwayError(
    'RENDER_INVALID_OBJECT',
    `rendered ${kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name} does not match its schema: ${errors.slice(0, 5).join('; ')}`,
    {
      ...(locate ? { location: locate(rendered.origin) } : {}),
      hint: `produced from ${rendered.origin.join('.')} (${rendered.environment}/${rendered.cluster}); this is a bug in Slipway, please report it with the spec`,
    },
  );
}
