/** @module The workload of a service: Deployment, StatefulSet or DaemonSet with its pod template. */
import type { Probe } from '../spec/schema/health.js';
import { parseDuration } from '../spec/units.js';
import { ANNOTATION, type K8sObject } from './k8s-object.js';
import { metadata, podLabels, selectorLabels } from './labels.js';
import type { PodConfig } from './pod-config.js';
import { imageRef, type ServiceView } from './service-view.js';

/** Seconds the pod keeps serving after removal from endpoints, so in-flight and late-routed requests finish. */
export const PRESTOP_DRAIN_SECONDS = 5;

const seconds = (duration: string | undefined) =>
  duration === undefined ? undefined : Math.max(1, Math.round(parseDuration(duration) / 1000));

function probe(view: ServiceView, spec: Probe | undefined): Record<string, unknown> | undefined {
  if (spec === undefined) return undefined;
  const form = typeof spec === 'string' ? { path: spec } : spec;
  const port = form.port ?? view.primary?.port;
  const named = view.ports.find((p) => p.port === port);
  const out: Record<string, unknown> = { httpGet: { path: form.path, port: named?.name ?? port } };
  if (typeof spec === 'string') return out;
  const set = (key: string, value: number | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('initialDelaySeconds', seconds(spec.initialDelay));
  set('periodSeconds', seconds(spec.period));
  set('timeoutSeconds', seconds(spec.timeout));
  set('failureThreshold', spec.failureThreshold);
  set('successThreshold', spec.successThreshold);
  return out;
}

function quantities(amounts: Record<string, unknown> | undefined, gpuResource: string, gpuCount?: number) {
  const out: Record<string, string | number> = {};
  if (amounts?.['cpu'] !== undefined) out['cpu'] = String(amounts['cpu']);
  if (amounts?.['memory'] !== undefined) out['memory'] = String(amounts['memory']);
  if (amounts?.['ephemeralStorage'] !== undefined)
    out['ephemeral-storage'] = String(amounts['ephemeralStorage']);
  const gpus = (amounts?.['gpu'] as number | undefined) ?? gpuCount;
  if (gpus !== undefined) out[gpuResource] = gpus;
  return out;
}

function resources(view: ServiceView) {
  const spec = view.service.resources;
  const gpu = view.service.gpu;
  const gpuResource = gpu?.resource ?? 'nvidia.com/gpu';
  // Extended resources (GPUs) cannot be overcommitted: Kubernetes requires requests == limits.
  const requests = quantities(spec?.requests, gpuResource, gpu?.count);
  const limits = quantities(spec?.limits, gpuResource, gpu?.count);
  const out: Record<string, unknown> = {};
  if (Object.keys(requests).length > 0) out['requests'] = requests;
  if (Object.keys(limits).length > 0) out['limits'] = limits;
  return out;
}

function securityContext(view: ServiceView) {
  const s = view.service.security;
  const drop = s?.capabilities?.drop ?? ['ALL'];
  const context: Record<string, unknown> = {
    allowPrivilegeEscalation: s?.allowPrivilegeEscalation ?? false,
    capabilities: { drop, ...(s?.capabilities?.add ? { add: s.capabilities.add } : {}) },
  };
  if (s?.privileged !== undefined) context['privileged'] = s.privileged;
  if (s?.readOnlyRootFilesystem !== undefined) context['readOnlyRootFilesystem'] = s.readOnlyRootFilesystem;
  if (s?.runAsNonRoot !== undefined) context['runAsNonRoot'] = s.runAsNonRoot;
  if (s?.runAsUser !== undefined) context['runAsUser'] = s.runAsUser;
  return context;
}

function nodePlacement(view: ServiceView) {
  const s = view.service;
  const nodeSelector: Record<string, string> = { ...s.nodeSelector };
  if (s.gpu?.product) nodeSelector[s.gpu.productLabel ?? 'nvidia.com/gpu.product'] = s.gpu.product;
  const tolerations = [...(s.tolerations ?? [])];
  const gpuResource = s.gpu?.resource ?? 'nvidia.com/gpu';
  // GPU node pools are tainted with the resource name; without the toleration the pod never schedules.
  if (s.gpu && !tolerations.some((t) => t.key === gpuResource))
    tolerations.push({ key: gpuResource, operator: 'Exists', effect: 'NoSchedule' });
  return {
    ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
  };
}

/** Spread replicas over zones and nodes; ScheduleAnyway so a small cluster still runs them all. */
function spread(view: ServiceView) {
  if (view.replicas < 2 || view.service.workload === 'daemonset') return {};
  const labelSelector = { matchLabels: selectorLabels(view) };
  return {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector,
      },
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector,
      },
    ],
  };
}

function gracePeriodSeconds(view: ServiceView): number {
  const grace = view.service.local?.gracePeriod;
  return PRESTOP_DRAIN_SECONDS + (grace ? Math.ceil(parseDuration(grace) / 1000) : 30);
}

export function podSpec(view: ServiceView, config: PodConfig) {
  const s = view.service;
  const pvcVolumes = (s.volumes ?? []).filter((v) => !v.size);
  const volumes = [
    ...config.volumes,
    ...pvcVolumes.map((v) =>
      v.claim
        ? {
            name: v.name,
            persistentVolumeClaim: { claimName: v.claim, ...(v.readOnly ? { readOnly: true } : {}) },
          }
        : { name: v.name, emptyDir: v.emptyDir?.sizeLimit ? { sizeLimit: v.emptyDir.sizeLimit } : {} },
    ),
  ];
  const mounts = [
    ...config.mounts,
    ...(s.volumes ?? []).map((v) => ({
      name: v.name,
      mountPath: v.mountPath,
      ...(v.readOnly ? { readOnly: true } : {}),
    })),
  ];
  const container: Record<string, unknown> = {
    name: view.name,
    image: imageRef(view),
    imagePullPolicy: 'IfNotPresent',
    ...(view.ports.length > 0
      ? { ports: view.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })) }
      : {}),
    ...(config.env.length > 0 ? { env: config.env } : {}),
    resources: resources(view),
    securityContext: securityContext(view),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
    lifecycle: { preStop: { sleep: { seconds: PRESTOP_DRAIN_SECONDS } } },
  };
  const readiness = probe(view, s.health?.readiness);
  const liveness = probe(view, s.health?.liveness);
  const startup = probe(view, s.health?.startup);
  if (readiness) container['readinessProbe'] = readiness;
  if (liveness) container['livenessProbe'] = liveness;
  if (startup) container['startupProbe'] = startup;
  return {
    automountServiceAccountToken: false,
    ...(s.security?.serviceAccount ? { serviceAccountName: s.security.serviceAccount } : {}),
    ...(s.security?.hostNetwork ? { hostNetwork: true } : {}),
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    terminationGracePeriodSeconds: gracePeriodSeconds(view),
    containers: [container],
    ...(volumes.length > 0 ? { volumes } : {}),
    ...nodePlacement(view),
    ...spread(view),
  };
}

function rollingUpdate(view: ServiceView) {
  const release = view.service.release;
  // A critical service never loses capacity: maxUnavailable 0 whatever the release policy says.
  const maxUnavailable = view.service.critical ? 0 : (release?.maxUnavailable ?? 0);
  const isZero = (v: number | string | undefined) => v === 0 || v === '0%';
  // Both zero is rejected by the API server (the rollout could never move): surge one pod instead.
  const maxSurge =
    isZero(maxUnavailable) && (release?.maxSurge === undefined || isZero(release.maxSurge))
      ? 1
      : (release?.maxSurge ?? 0);
  return { maxSurge, maxUnavailable };
}

export function workload(view: ServiceView, config: PodConfig): K8sObject {
  const s = view.service;
  const kind =
    s.workload === 'statefulset' ? 'StatefulSet' : s.workload === 'daemonset' ? 'DaemonSet' : 'Deployment';
  const annotations: Record<string, string> = { ...s.annotations, ...config.workloadAnnotations };
  if (s.dependsOn?.length) annotations[ANNOTATION.dependsOn] = [...s.dependsOn].sort().join(',');
  if (s.critical) annotations[ANNOTATION.critical] = 'true';
  if (s.description) annotations['slipway.dev/description'] = s.description;
  const template = {
    metadata: { labels: podLabels(view), annotations: config.podAnnotations },
    spec: podSpec(view, config),
  };
  const spec: Record<string, unknown> = {
    ...(kind === 'DaemonSet' ? {} : { replicas: view.replicas }),
    revisionHistoryLimit: 10,
    selector: { matchLabels: selectorLabels(view) },
    template,
  };
  if (kind === 'Deployment') {
    spec['strategy'] = { type: 'RollingUpdate', rollingUpdate: rollingUpdate(view) };
    spec['minReadySeconds'] = 5;
  } else if (kind === 'DaemonSet') {
    spec['updateStrategy'] = {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: s.critical ? 0 : 1, maxSurge: s.critical ? 1 : 0 },
    };
  } else {
    spec['serviceName'] = `${view.name}-headless`;
    spec['podManagementPolicy'] = 'OrderedReady';
    spec['updateStrategy'] = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    const claims = (s.volumes ?? []).filter((v) => v.size);
    if (claims.length > 0)
      spec['volumeClaimTemplates'] = claims.map((v) => ({
        metadata: { name: v.name },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(v.storageClass ? { storageClassName: v.storageClass } : {}),
          resources: { requests: { storage: v.size } },
        },
      }));
  }
  const meta = metadata(view, view.name);
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: Object.keys(annotations).length > 0 ? { ...meta, annotations } : meta,
    spec,
  };
}
