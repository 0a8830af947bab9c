/** @module The API resources the simulator serves: built-in kinds, and the custom ones a cluster may lack. */

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Served only when the cluster has this CRD installed. */
  crd?: boolean;
  /** Has a status subresource. */
  status?: boolean;
  verbs?: string[];
  shortNames?: string[];
}

const ALL_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    shortNames: ['ns'],
    plural: 'namespaces',
    namespaced: false,
    status: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    shortNames: ['svc'],
    plural: 'services',
    namespaced: true,
    status: true,
  },
  { group: '', version: 'v1', kind: 'ConfigMap', shortNames: ['cm'], plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    shortNames: ['pvc'],
    plural: 'persistentvolumeclaims',
    namespaced: true,
    status: true,
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    shortNames: ['cj'],
    plural: 'cronjobs',
    namespaced: true,
    status: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    shortNames: ['po'],
    plural: 'pods',
    namespaced: true,
    status: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    shortNames: ['sa'],
    plural: 'serviceaccounts',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    shortNames: ['deploy'],
    plural: 'deployments',
    namespaced: true,
    status: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    shortNames: ['sts'],
    plural: 'statefulsets',
    namespaced: true,
    status: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'DaemonSet',
    shortNames: ['ds'],
    plural: 'daemonsets',
    namespaced: true,
    status: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'ReplicaSet',
    shortNames: ['rs'],
    plural: 'replicasets',
    namespaced: true,
    status: true,
  },
  {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    shortNames: ['pdb'],
    plural: 'poddisruptionbudgets',
    namespaced: true,
    status: true,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    shortNames: ['hpa'],
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    status: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    shortNames: ['netpol'],
    plural: 'networkpolicies',
    namespaced: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    shortNames: ['ing'],
    plural: 'ingresses',
    namespaced: true,
    status: true,
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    namespaced: false,
    verbs: ['create'],
  },
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    kind: 'HTTPRoute',
    plural: 'httproutes',
    namespaced: true,
    crd: true,
    status: true,
  },
  {
    group: 'monitoring.coreos.com',
    version: 'v1',
    kind: 'ServiceMonitor',
    plural: 'servicemonitors',
    namespaced: true,
    crd: true,
  },
  {
    group: 'monitoring.coreos.com',
    version: 'v1',
    kind: 'PrometheusRule',
    plural: 'prometheusrules',
    namespaced: true,
    crd: true,
  },
  {
    group: 'keda.sh',
    version: 'v1alpha1',
    kind: 'ScaledObject',
    plural: 'scaledobjects',
    namespaced: true,
    crd: true,
    status: true,
  },
  {
    group: 'keda.sh',
    version: 'v1alpha1',
    kind: 'TriggerAuthentication',
    plural: 'triggerauthentications',
    namespaced: true,
    crd: true,
  },
  {
    group: 'secrets-store.csi.x-k8s.io',
    version: 'v1',
    kind: 'SecretProviderClass',
    plural: 'secretproviderclasses',
    namespaced: true,
    crd: true,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    shortNames: ['crd', 'crds'],
    plural: 'customresourcedefinitions',
    namespaced: false,
    status: true,
  },
  {
    group: 'cert-manager.io',
    version: 'v1',
    kind: 'ClusterIssuer',
    plural: 'clusterissuers',
    namespaced: false,
    crd: true,
    status: true,
  },
  {
    group: 'cert-manager.io',
    version: 'v1',
    kind: 'Certificate',
    plural: 'certificates',
    namespaced: true,
    crd: true,
    status: true,
  },
];

export const verbsOf = (r: ResourceType) => r.verbs ?? ALL_VERBS;
export const groupVersion = (r: { group: string; version: string }) =>
  r.group ? `${r.group}/${r.version}` : r.version;
