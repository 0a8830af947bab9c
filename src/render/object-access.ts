/** @module Typed, forgiving reads of untyped Kubernetes objects (rendered or read from any YAML). */
import type { K8sObject, LocatedObject } from './k8s-object.js';
import { LABEL, WORKLOAD_KINDS } from './k8s-object.js';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a path of keys; undefined as soon as a step is missing or not an object. */
export function dig(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (!isRecord(at)) return undefined;
    at = at[key];
  }
  return at;
}

export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

export function isWorkload(object: K8sObject): boolean {
  return WORKLOAD_KINDS.has(object.kind);
}

/** A workload that keeps running and serving (not a Job or CronJob, which run to completion). */
export function isLongRunning(object: K8sObject): boolean {
  return isWorkload(object) && object.kind !== 'Job' && object.kind !== 'CronJob';
}

/** The service a workload belongs to: its pods' app.kubernetes.io/name, else `app`, else its own name. */
export function serviceNameOf(workload: K8sObject): string {
  const labels = podLabels(workload);
  return labels[LABEL.name] ?? labels[LABEL.app] ?? workload.metadata.name;
}

/** Located objects grouped by scope (their cluster); objects of different scopes never meet. */
export function groupByScope(objects: LocatedObject[]): Map<string | undefined, LocatedObject[]> {
  const groups = new Map<string | undefined, LocatedObject[]>();
  for (const o of objects) {
    const list = groups.get(o.origin.scope);
    if (list) list.push(o);
    else groups.set(o.origin.scope, [o]);
  }
  return groups;
}

/** Where a workload keeps its pod template: `spec.template`, a CronJob's nested one, or a Pod itself. */
function templateOf(object: K8sObject): unknown {
  if (object.kind === 'Pod') return object;
  return object.kind === 'CronJob'
    ? dig(object, 'spec', 'jobTemplate', 'spec', 'template')
    : dig(object, 'spec', 'template');
}

/** The pod template of a workload (`spec.template`, a CronJob's nested one, or a Pod itself). */
export function podTemplate(object: K8sObject): { metadata: Json; spec: Json } | undefined {
  const template = templateOf(object);
  if (!isRecord(template)) return undefined;
  const spec = template['spec'];
  if (!isRecord(spec)) return undefined;
  return { metadata: isRecord(template['metadata']) ? template['metadata'] : {}, spec };
}

export interface ContainerView {
  container: Json;
  name: string;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  list: string;
  index: number;
}

export function containersOf(object: K8sObject, lists = ['containers', 'initContainers']): ContainerView[] {
  const pod = podTemplate(object);
  if (!pod) return [];
  const out: ContainerView[] = [];
  for (const list of lists)
    records(pod.spec[list]).forEach((container, index) =>
      out.push({ container, name: String(container['name'] ?? `#${index}`), list, index }),
    );
  return out;
}

/** The pod template's labels (read even where the template has no spec yet, as a Service sees them). */
export function podLabels(object: K8sObject): Record<string, string> {
  return stringMap(dig(templateOf(object), 'metadata', 'labels'));
}

export function namespaceOf(object: K8sObject): string {
  return object.metadata.namespace ?? 'default';
}

/** Declared replicas of a workload (1 when unset, as the API server defaults it). */
export function replicasOf(object: K8sObject): number {
  const replicas = dig(object, 'spec', 'replicas');
  return typeof replicas === 'number' ? replicas : 1;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes label-selector semantics; an empty selector matches everything. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return true;
  for (const [k, v] of Object.entries(stringMap(selector['matchLabels']))) if (labels[k] !== v) return false;
  for (const expression of records(selector['matchExpressions'])) {
    const key = String(expression['key'] ?? '');
    const values = Array.isArray(expression['values']) ? expression['values'].map(String) : [];
    const has = Object.hasOwn(labels, key);
    switch (expression['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function objectKey(object: K8sObject): string {
  return `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

/** Kinds that live outside namespaces (a namespace on them means nothing). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterIssuer',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'GatewayClass',
  'RuntimeClass',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

export function isClusterScoped(object: K8sObject): boolean {
  return CLUSTER_SCOPED_KINDS.has(object.kind);
}
