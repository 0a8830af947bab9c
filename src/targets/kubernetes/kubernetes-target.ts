/**
 * @module The Kubernetes target: one kubeconfig context per cluster. A release server-side applies
 * (field manager `slipway`) exactly the objects `slipway render` prints for the cluster and service at the
 * release's version, namespaces first, and follows the workload's rollout from its status and pods.
 * Traffic splitting (canary, blue-green) comes with progressive delivery; until then those strategies are
 * refused at preflight, and here, with a located "not supported yet".
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SlipwayError } from '../../errors/index.js';
import type { K8sObject } from '../../render/k8s-object.js';
import type { Platform } from '../../spec/schema/platform.js';
import type {
  CheckRequest,
  CheckResponse,
  EnsureReplicasRequest,
  GroupStatus,
  HeaderMatch,
  PreflightResult,
  ServiceRef,
  ServiceStatus,
  Snapshot,
  Target,
  TrafficGroup,
  Weights,
} from '../target.js';
import { desiredObjects, ROLLOUT_KINDS, workloadOf } from './desired-objects.js';
import { type ObjectRef, objectRef, stripServerFields } from './object-identity.js';
import { KubeClient, type KubeClientOptions } from './kube-client.js';
import { preflightCluster } from './preflight.js';
import { stuckPod, workloadProgress } from './rollout-progress.js';

export interface KubernetesTargetOptions {
  cluster: string;
  spec: Platform;
  context: string;
  kubeconfig?: string;
  /** How often a rollout's progress is read (default 1 s). */
  pollMs?: number;
  client?: Partial<KubeClientOptions>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** `registry/app:v2` → `v2`; `registry/app@sha256:…` → `sha256:…`. */
export function versionOfImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const last = image.split('/').pop() ?? '';
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

const containersOf = (o: K8sObject) =>
  (
    (
      (o['spec'] as Record<string, unknown> | undefined)?.['template'] as Record<string, unknown> | undefined
    )?.['spec'] as { containers?: { image?: string }[] } | undefined
  )?.containers ?? [];

export const notSupportedYet = (what: string, cluster: string) =>
  new SlipwayError(
    'KUBE_NOT_SUPPORTED_YET',
    `${what} on the Kubernetes cluster ${cluster} is not supported yet (it comes with progressive delivery on clusters)`,
    { hint: 'use strategy: rolling for services on Kubernetes clusters for now' },
  );

export class KubernetesTarget implements Target {
  readonly kind = 'kubernetes';
  readonly capabilities = { weights: false, headerRouting: false, liveState: true } as const;
  private readonly rendered = new Map<string, K8sObject[]>();
  private connected: KubeClient | undefined;

  constructor(private readonly options: KubernetesTargetOptions) {}

  /** The cluster's API, connected on first use: a missing context fails the release that needs it, not the controller. */
  get client(): KubeClient {
    this.connected ??= new KubeClient({
      context: this.options.context,
      cluster: this.options.cluster,
      ...(this.options.kubeconfig ? { kubeconfig: this.options.kubeconfig } : {}),
      ...this.options.client,
    });
    return this.connected;
  }

  get context(): string {
    return this.options.context;
  }

  /** The kubeconfig file in use, as kubectl would find it. */
  get kubeconfigPath(): string {
    return this.options.kubeconfig ?? process.env['KUBECONFIG'] ?? join(homedir(), '.kube', 'config');
  }

  get cluster(): string {
    return this.options.cluster;
  }

  /** Render's objects for the service here, at a version (the spec's when none). Cached: render is pure. */
  objects(service: string, version?: string): K8sObject[] {
    const key = `${service}@${version ?? ''}`;
    let objects = this.rendered.get(key);
    if (!objects) {
      objects = desiredObjects(this.options.spec, this.options.cluster, service, version);
      if (this.rendered.size > 256) this.rendered.clear();
      this.rendered.set(key, objects);
    }
    return objects;
  }

  private workload(service: string, version?: string): K8sObject {
    const workload = workloadOf(this.objects(service, version));
    if (!workload)
      throw new SlipwayError(
        'KUBE_NO_WORKLOAD',
        `${service} renders no workload for the cluster ${this.cluster} (a Helm chart, or no image)`,
        {
          category: 'release',
          hint: 'Helm-delivered services are not released by the Kubernetes target yet',
        },
      );
    return workload;
  }

  async ensureReplicas(ref: ServiceRef, request: EnsureReplicasRequest): Promise<GroupStatus> {
    if (request.group !== 'stable') throw notSupportedYet(`a ${request.group} group`, this.cluster);
    this.workload(ref.service, request.version);
    const objects = this.objects(ref.service, request.version).map((o) => structuredClone(o));
    const workload = workloadOf(objects)!;
    if (workload.kind !== 'DaemonSet')
      (workload['spec'] as Record<string, unknown>)['replicas'] = request.replicas;
    for (const object of objects) await this.client.apply(object);
    return this.waitForRollout(ref, workload, request.deadlineMs);
  }

  private async waitForRollout(
    ref: ServiceRef,
    workload: K8sObject,
    deadlineMs?: number,
  ): Promise<GroupStatus> {
    const started = Date.now();
    const image = containersOf(workload)[0]?.image;
    const selector = Object.entries(
      (workload['spec'] as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ??
        {},
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    for (;;) {
      const live = await this.readWorkload(workload);
      if (!live)
        throw new SlipwayError(
          'KUBE_WORKLOAD_GONE',
          `${workload.kind} ${workload.metadata.name} vanished during its rollout on ${this.cluster}`,
          { category: 'release' },
        );
      const progress = workloadProgress(live);
      if (progress.failure)
        throw new SlipwayError(
          progress.failure.code,
          `${ref.service} on ${this.cluster}: ${progress.failure.message}`,
          { category: 'release' },
        );
      if (progress.done) return this.groupOf(live, progress.ready);
      const stuck = stuckPod(
        await this.client.pods(workload.metadata.namespace ?? 'default', selector),
        image,
      );
      if (stuck)
        throw new SlipwayError(
          stuck.code,
          `${ref.service}@${versionOfImage(image) ?? '?'} on ${this.cluster}: ${stuck.message}`,
          { category: 'release' },
        );
      if (deadlineMs !== undefined && Date.now() - started > deadlineMs)
        throw new SlipwayError(
          'KUBE_ROLLOUT_TIMEOUT',
          `${ref.service} on ${this.cluster} did not roll out within ${Math.round(deadlineMs / 1000)} s: ${progress.waiting}`,
          { category: 'release' },
        );
      await sleep(this.options.pollMs ?? 1000);
    }
  }

  private readWorkload(workload: K8sObject): Promise<K8sObject | undefined> {
    return this.client.read<K8sObject & { metadata: { name: string } }>(
      workload.apiVersion,
      workload.kind,
      workload.metadata.name,
      workload.metadata.namespace,
    );
  }

  private groupOf(live: K8sObject, ready: number): GroupStatus {
    const version = versionOfImage(containersOf(live)[0]?.image);
    const progress = workloadProgress(live);
    return {
      group: 'stable',
      versions: version ? [version] : [],
      desired: progress.desired,
      ready,
      replicas: [],
    };
  }

  async ensureWeights(ref: ServiceRef, weights: Weights, matches: HeaderMatch[] = []): Promise<void> {
    const others = Object.entries(weights).filter(([g, w]) => g !== 'stable' && (w ?? 0) > 0);
    if (others.length > 0 || matches.length > 0)
      throw notSupportedYet(`traffic weights for ${ref.service}`, this.cluster);
  }

  async promote(ref: ServiceRef, from: Exclude<TrafficGroup, 'stable'>): Promise<void> {
    throw notSupportedYet(`promoting the ${from} group of ${ref.service}`, this.cluster);
  }

  async scaleToZero(ref: ServiceRef, group: TrafficGroup): Promise<void> {
    // Canary and preview groups do not exist on clusters yet: there is nothing to empty.
    if (group !== 'stable') return;
    const workload = this.workload(ref.service);
    if (workload.kind === 'DaemonSet' || !(await this.readWorkload(workload))) return;
    await this.client.apply({
      ...structuredClone(workload),
      spec: { ...(workload['spec'] as object), replicas: 0 },
    });
  }

  async observe(ref: ServiceRef): Promise<ServiceStatus> {
    const workload = workloadOf(this.objects(ref.service));
    const live = workload ? await this.readWorkload(workload) : undefined;
    const groups = live ? [this.groupOf(live, workloadProgress(live).ready)] : [];
    const namespace = workload?.metadata.namespace;
    return {
      ...ref,
      groups,
      weights: groups.length ? { stable: 100 } : {},
      matches: [],
      // A command check reaches the cluster as kubectl would: `kubectl --context "$SLIPWAY_KUBE_CONTEXT" -n "$SLIPWAY_NAMESPACE" …`
      commandEnv: {
        KUBECONFIG: this.kubeconfigPath,
        SLIPWAY_KUBE_CONTEXT: this.context,
        ...(namespace ? { SLIPWAY_NAMESPACE: namespace } : {}),
      },
    };
  }

  async preflight(services: { service: string; version: string }[]): Promise<PreflightResult> {
    const objects = new Map(services.map((s) => [s.service, this.objects(s.service, s.version)]));
    const unrendered = services.filter((s) => !workloadOf(objects.get(s.service) ?? []));
    const strategies = services.filter(
      (s) => (this.options.spec.services[s.service]?.release?.strategy ?? 'rolling') !== 'rolling',
    );
    const result = await preflightCluster(this.client, this.cluster, objects);
    const findings = [
      ...unrendered.map(
        (s) =>
          `${s.service} renders no workload here (a Helm chart, or no image): not released by the Kubernetes target yet`,
      ),
      ...strategies.map(
        (s) =>
          `${s.service}: ${notSupportedYet(`strategy ${this.options.spec.services[s.service]?.release?.strategy}`, this.cluster).message}`,
      ),
      ...result.findings,
    ];
    return { ...result, ok: findings.length === 0, findings };
  }

  /** The live state of every object the version would apply (null where there is none yet). */
  async snapshot(ref: ServiceRef, version: string): Promise<Snapshot> {
    const objects = [];
    for (const o of this.objects(ref.service, version)) {
      const live = await this.client.read<K8sObject>(
        o.apiVersion,
        o.kind,
        o.metadata.name,
        o.metadata.namespace,
      );
      objects.push({ ref: objectRef(o), live: live ? stripServerFields(live) : null });
    }
    return { target: 'kubernetes', context: this.context, objects };
  }

  /**
   * Every object back as it was: applied whole (so fields the release added go), or deleted when the
   * release created it — in reverse apply order; then the workload's rollout is followed to the end.
   * Namespaces the release created are kept: other releases may have put things in them since.
   */
  async restore(
    ref: ServiceRef,
    snapshot: Snapshot,
    fallback?: EnsureReplicasRequest,
  ): Promise<GroupStatus | undefined> {
    const entries = (snapshot['objects'] ?? []) as { ref: ObjectRef; live: K8sObject | null }[];
    if (entries.length === 0) {
      if (fallback) return this.ensureReplicas(ref, fallback);
      await this.scaleToZero(ref, 'stable');
      return undefined;
    }
    let workload: K8sObject | undefined;
    for (const { ref: r, live } of [...entries].reverse()) {
      if (live) {
        await this.client.apply(live);
        if (ROLLOUT_KINDS.has(live.kind)) workload = live;
      } else if (r.kind !== 'Namespace') {
        await this.client.remove({
          apiVersion: r.apiVersion,
          kind: r.kind,
          metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
        });
      }
    }
    if (!workload) return undefined;
    return this.waitForRollout(ref, workload, fallback?.deadlineMs);
  }

  /** A check's request, through the API server's service proxy: no network route into the cluster needed. */
  async send(ref: ServiceRef, request: CheckRequest): Promise<CheckResponse> {
    const service = this.objects(ref.service).find(
      (o) => o.kind === 'Service' && !(o['spec'] as { clusterIP?: string }).clusterIP,
    );
    if (!service)
      throw new SlipwayError(
        'KUBE_NO_SERVICE',
        `${ref.service} has no Service on ${this.cluster} to send a check to`,
        { category: 'release' },
      );
    const port = request.port ?? (service['spec'] as { ports?: { port: number }[] }).ports?.[0]?.port;
    const path = `/api/v1/namespaces/${service.metadata.namespace}/services/${service.metadata.name}${port ? `:${port}` : ''}/proxy${request.path}`;
    try {
      return await this.client.raw(request.method, path, request.body, request.headers, request.timeoutMs);
    } catch (error) {
      throw this.client.wrap(`${request.method} ${request.path} through the service proxy`, error);
    }
  }

  async close(): Promise<void> {}
}
