/** @module HorizontalPodAutoscaler (CPU/memory) or KEDA ScaledObject (RabbitMQ, Kafka, Prometheus). */
import { parseDuration, parsePercent } from '../spec/units.js';
import type { K8sObject } from './k8s-object.js';
import { metadata } from './labels.js';
import type { ServiceView } from './service-view.js';

/** Where KEDA's Prometheus trigger queries when the spec names no server (prometheus-operator's default Service). */
export const DEFAULT_PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';

function workloadKind(view: ServiceView): string {
  return view.service.workload === 'statefulset' ? 'StatefulSet' : 'Deployment';
}

function resourceMetrics(cpu: string | number | undefined, memory: string | number | undefined) {
  const metric = (name: string, value: string | number) => ({
    type: 'Resource',
    resource: {
      name,
      target: { type: 'Utilization', averageUtilization: Math.round(parsePercent(value) * 100) },
    },
  });
  return [
    ...(cpu !== undefined ? [metric('cpu', cpu)] : []),
    ...(memory !== undefined ? [metric('memory', memory)] : []),
  ];
}

type Autoscale = NonNullable<ServiceView['service']['autoscale']>;
type KedaTrigger = NonNullable<Autoscale['keda']>['triggers'][number];

export function autoscaling(view: ServiceView): K8sObject[] {
  const auto = view.service.autoscale;
  if (!auto || view.service.workload === 'daemonset') return [];
  const target = { apiVersion: 'apps/v1', kind: workloadKind(view), name: view.name };
  if (!auto.keda) {
    return [
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: metadata(view, view.name),
        spec: {
          scaleTargetRef: target,
          minReplicas: Math.max(1, auto.min),
          maxReplicas: auto.max,
          metrics: resourceMetrics(auto.cpu, auto.memory),
        },
      },
    ];
  }
  // KEDA owns the HPA it creates; a second HPA on the same workload would fight it, so CPU/memory
  // targets become KEDA triggers too.
  const keda = auto.keda.triggers.map((trigger, index) => kedaTrigger(view, trigger, index));
  const triggers = keda.map((k) => k.trigger);
  for (const metric of resourceMetrics(auto.cpu, auto.memory))
    triggers.push({
      type: metric.resource.name,
      metricType: 'Utilization',
      metadata: { value: String(metric.resource.target.averageUtilization) },
    });
  const secondsOf = (d: string | undefined) => (d ? Math.round(parseDuration(d) / 1000) : undefined);
  const polling = secondsOf(auto.keda.pollingInterval);
  const cooldown = secondsOf(auto.keda.cooldownPeriod);
  return [
    ...keda.flatMap((k) => (k.authentication ? [k.authentication] : [])),
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: metadata(view, view.name),
      spec: {
        scaleTargetRef: target,
        minReplicaCount: auto.min,
        maxReplicaCount: auto.max,
        ...(polling !== undefined ? { pollingInterval: polling } : {}),
        ...(cooldown !== undefined ? { cooldownPeriod: cooldown } : {}),
        triggers,
      },
    },
  ];
}

/** One KEDA trigger of the spec, and the TriggerAuthentication a Kafka trigger with a secret needs. */
function kedaTrigger(
  view: ServiceView,
  trigger: KedaTrigger,
  index: number,
): { trigger: Record<string, unknown>; authentication?: K8sObject } {
  if (trigger.rabbitmq) {
    const r = trigger.rabbitmq;
    return {
      trigger: {
        type: 'rabbitmq',
        metadata: {
          queueName: r.queue,
          mode: 'QueueLength',
          value: String(r.length),
          ...(r.host ? { host: r.host } : {}),
          ...(r.hostFromEnv ? { hostFromEnv: r.hostFromEnv } : {}),
          ...(r.protocol ? { protocol: r.protocol } : {}),
        },
      },
    };
  }
  if (trigger.kafka) {
    const k = trigger.kafka;
    const authName = `${view.name}-kafka-${index}`;
    return {
      trigger: {
        type: 'kafka',
        metadata: {
          bootstrapServers: k.bootstrapServers,
          consumerGroup: k.consumerGroup,
          topic: k.topic,
          lagThreshold: String(k.lagThreshold),
          ...(k.sasl ? { sasl: k.sasl } : {}),
          ...(k.tls ? { tls: 'enable' } : {}),
        },
        ...(k.authSecretRef ? { authenticationRef: { name: authName } } : {}),
      },
      ...(k.authSecretRef
        ? {
            authentication: {
              apiVersion: 'keda.sh/v1alpha1',
              kind: 'TriggerAuthentication',
              metadata: metadata(view, authName),
              spec: {
                secretTargetRef: ['username', 'password'].map((key) => ({
                  parameter: key,
                  name: k.authSecretRef,
                  key,
                })),
              },
            },
          }
        : {}),
    };
  }
  const p = trigger.prometheus!;
  return {
    trigger: {
      type: 'prometheus',
      metadata: {
        serverAddress: p.serverAddress ?? DEFAULT_PROMETHEUS,
        query: p.query,
        threshold: String(p.threshold),
      },
    },
  };
}
