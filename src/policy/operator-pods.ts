/**
 * @module The labels of pods that an operator creates from a custom resource: a Service may select them
 * though no Deployment or StatefulSet in the files has those labels (prometheus-operated selects the
 * pods of every `Prometheus`). Known operators by their documented labels; any other custom resource by
 * the pod template or pod metadata its spec carries.
 */
import type { K8sObject } from '../render/k8s-object.js';
import { dig, isWorkload, stringMap } from '../render/object-access.js';

/** prometheus-operator's labels on the pods of its resources (`<lowercase kind>: <name>` among them). */
const PROMETHEUS_OPERATOR: Record<string, string> = {
  Prometheus: 'prometheus',
  Alertmanager: 'alertmanager',
  ThanosRuler: 'thanos-ruler',
  PrometheusAgent: 'prometheus-agent',
};

const TEMPLATE_PATHS = [
  ['spec', 'template', 'metadata', 'labels'],
  ['spec', 'podTemplate', 'metadata', 'labels'],
  ['spec', 'podMetadata', 'labels'],
];

/** Each label set an operator may put on pods of `object`, or none for a built-in kind. */
export function operatorPodLabels(object: K8sObject): Record<string, string>[] {
  if (isWorkload(object) || !object.apiVersion.includes('.')) return [];
  const name = object.metadata.name;
  const sets: Record<string, string>[] = [];
  const app = PROMETHEUS_OPERATOR[object.kind];
  if (app && object.apiVersion.startsWith('monitoring.coreos.com/')) {
    const own = stringMap(dig(object, 'spec', 'podMetadata', 'labels'));
    sets.push({
      ...own,
      'app.kubernetes.io/name': app,
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/managed-by': 'prometheus-operator',
      [app]: name,
      'operator.prometheus.io/name': name,
    });
  }
  for (const path of TEMPLATE_PATHS) {
    const labels = stringMap(dig(object, ...path));
    if (Object.keys(labels).length > 0) sets.push(labels);
  }
  return sets;
}
