/** @module Which object an object is (apiVersion, kind, namespace, name), and an object without what the server sets. */
import type { K8sObject } from '../../render/k8s-object.js';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export const objectRef = (o: K8sObject): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
];

/** The object as a person wrote it: no status, no server-set metadata. */
export function stripServerFields(o: K8sObject): K8sObject {
  const rest: Record<string, unknown> = { ...o };
  delete rest['status'];
  const metadata: Record<string, unknown> = { ...o.metadata };
  for (const key of SERVER_METADATA) delete metadata[key];
  return { ...(rest as K8sObject), metadata: metadata as unknown as K8sObject['metadata'] };
}
