/**
 * @module Validation of rendered objects against the Kubernetes and CRD OpenAPI schemas
 * (kubernetes-models, cert-manager, Gateway API, KEDA, prometheus-operator).
 */
import { Certificate } from './crd-models.js';
import {
  HTTPRoute,
  PrometheusRule,
  ScaledObject,
  ServiceMonitor,
  TriggerAuthentication,
} from './crd-models.js';
import {
  ConfigMap,
  CronJob,
  DaemonSet,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  Namespace,
  PersistentVolumeClaim,
} from './core-models.js';
import { NetworkPolicy, PodDisruptionBudget, Service, StatefulSet } from './core-models.js';
import type { K8sObject } from './k8s-object.js';
import { SecretProviderClass } from './secret-provider-class-model.js';

interface Model {
  validate(): void;
}
type ModelClass = new (data: never) => Model;

const MODELS = new Map<string, ModelClass>(
  (
    [
      ['v1/Namespace', Namespace],
      ['v1/ConfigMap', ConfigMap],
      ['v1/PersistentVolumeClaim', PersistentVolumeClaim],
      ['batch/v1/CronJob', CronJob],
      ['v1/Service', Service],
      ['apps/v1/Deployment', Deployment],
      ['apps/v1/StatefulSet', StatefulSet],
      ['apps/v1/DaemonSet', DaemonSet],
      ['policy/v1/PodDisruptionBudget', PodDisruptionBudget],
      ['autoscaling/v2/HorizontalPodAutoscaler', HorizontalPodAutoscaler],
      ['networking.k8s.io/v1/NetworkPolicy', NetworkPolicy],
      ['networking.k8s.io/v1/Ingress', Ingress],
      ['keda.sh/v1alpha1/ScaledObject', ScaledObject],
      ['keda.sh/v1alpha1/TriggerAuthentication', TriggerAuthentication],
      ['gateway.networking.k8s.io/v1/HTTPRoute', HTTPRoute],
      ['cert-manager.io/v1/Certificate', Certificate],
      ['secrets-store.csi.x-k8s.io/v1/SecretProviderClass', SecretProviderClass],
      ['monitoring.coreos.com/v1/ServiceMonitor', ServiceMonitor],
      ['monitoring.coreos.com/v1/PrometheusRule', PrometheusRule],
    ] as [string, ModelClass][]
  ).map(([key, model]) => [key, model]),
);

/** The schema violations of an object ([] when valid); an object of an unknown kind is itself a violation. */
export function schemaErrors(object: K8sObject): string[] {
  const model = MODELS.get(`${object.apiVersion}/${object.kind}`);
  if (!model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new model(object as never).validate();
    return [];
  } catch (thrown) {
    const errors = (thrown as { errors?: { instancePath?: string; message?: string }[] }).errors;
    if (Array.isArray(errors) && errors.length > 0)
      return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    return [thrown instanceof Error ? thrown.message : String(thrown)];
  }
}
