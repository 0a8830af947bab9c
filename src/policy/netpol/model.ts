/** @module The static network model: pod groups (one per workload), namespaces and NetworkPolicies. */
import type { Cidr } from './ip-blocks.js';
import { pushTo } from './push-to.js';
import type { K8sObject } from '../../render/k8s-object.js';
import { ANNOTATION } from '../../render/k8s-object.js';
import {
  containersOf,
  isLongRunning,
  namespaceOf,
  podLabels,
  records,
  serviceNameOf,
  stringMap,
} from '../../render/object-access.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface PodGroup {
  /** `namespace/name` of the workload. */
  id: string;
  namespace: string;
  labels: Record<string, string>;
  ports: ContainerPort[];
  /** The service it belongs to (app.kubernetes.io/name, app, or the workload's name). */
  service: string;
  /** Services it calls, from the `slipway.dev/depends-on` annotation or the spec. */
  dependsOn: string[];
  /** Not a workload of the input: the cluster DNS that every egress policy must allow. */
  virtual?: boolean;
}

export interface NetworkModel {
  pods: PodGroup[];
  namespaceLabels: (namespace: string) => Record<string, string>;
  policies: K8sObject[];
  /** The policies of a namespace (a policy selects only pods of its own namespace). */
  policiesIn: (namespace: string) => K8sObject[];
  /** Where pod IPs live (`--pod-cidr`), so that ipBlock peers can match pods; empty: they match none. */
  podCidrs: Cidr[];
}

const NAMESPACE_NAME = 'kubernetes.io/metadata.name';

/** CoreDNS as kubeadm, GKE, EKS and k3s deploy it. */
export const CLUSTER_DNS: PodGroup = {
  id: 'kube-system/kube-dns',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  ],
  service: 'kube-dns',
  dependsOn: [],
  virtual: true,
};

function podGroup(object: K8sObject, declared?: (service: string) => string[] | undefined): PodGroup {
  const labels = podLabels(object);
  const service = serviceNameOf(object);
  const annotation = stringMap(object.metadata.annotations)[ANNOTATION.dependsOn];
  const ports: ContainerPort[] = containersOf(object, ['containers']).flatMap((c) =>
    records(c.container['ports']).map((p) => ({
      ...(typeof p['name'] === 'string' ? { name: p['name'] } : {}),
      port: Number(p['containerPort']),
      protocol: (p['protocol'] as Protocol | undefined) ?? 'TCP',
    })),
  );
  return {
    id: `${namespaceOf(object)}/${object.metadata.name}`,
    namespace: namespaceOf(object),
    labels,
    ports,
    service,
    dependsOn:
      declared?.(service) ??
      (annotation
        ? annotation
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : []),
  };
}

export function buildModel(
  objects: K8sObject[],
  declared?: (service: string) => string[] | undefined,
  podCidrs: Cidr[] = [],
): NetworkModel {
  const namespaces = new Map<string, Record<string, string>>();
  for (const o of objects)
    if (o.kind === 'Namespace') namespaces.set(o.metadata.name, stringMap(o.metadata.labels));
  const policies = objects.filter(
    (o) => o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io/'),
  );
  const byNamespace = new Map<string, K8sObject[]>();
  for (const p of policies) pushTo(byNamespace, namespaceOf(p), p);
  return {
    pods: [...objects.filter(isLongRunning).map((o) => podGroup(o, declared)), CLUSTER_DNS],
    // The API server sets kubernetes.io/metadata.name on every namespace.
    namespaceLabels: (namespace) => ({ ...namespaces.get(namespace), [NAMESPACE_NAME]: namespace }),
    policies,
    policiesIn: (namespace) => byNamespace.get(namespace) ?? [],
    podCidrs,
  };
}
