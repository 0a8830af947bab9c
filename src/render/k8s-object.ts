/** @module The shape of a Kubernetes object as Slipway renders, reads and lints it. */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any Kubernetes object; kind-specific fields are reached through the helpers of `object-access.ts`. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Where an object came from: the spec path that produced it, or the file and line it was read from. */
export interface ObjectOrigin {
  file: string;
  line: number;
  column: number;
  /** The Helm `# Source:` template an object was rendered from (read objects). */
  detail?: string;
  /**
   * The cluster an object belongs to (`ENV/CLUSTER` for rendered objects). Objects of different scopes
   * never see each other: a PDB in one cluster does not cover a Deployment in another.
   */
  scope?: string;
  /** Where a field of the object is, when the object was read from text. */
  locate?: (path: readonly (string | number)[]) => { line: number; column: number };
}

export interface LocatedObject {
  object: K8sObject;
  origin: ObjectOrigin;
}

export const LABEL = {
  name: 'app.kubernetes.io/name',
  partOf: 'app.kubernetes.io/part-of',
  version: 'app.kubernetes.io/version',
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  app: 'app',
} as const;

/** Annotations Slipway writes and reads; other tools (lint, netpol) use them as declared intent. */
export const ANNOTATION = {
  configHash: 'slipway.dev/config-hash',
  dependsOn: 'slipway.dev/depends-on',
  critical: 'slipway.dev/critical',
  source: 'slipway.dev/source',
  lintIgnorePrefix: 'lint.slipway.dev/ignore-',
} as const;

export const WORKLOAD_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
  // OpenShift's Deployment (apps.openshift.io/v1): its pod template is where a Deployment's is.
  'DeploymentConfig',
]);
