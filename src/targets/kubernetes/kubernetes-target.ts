/**
 * @module The Kubernetes target: one kubeconfig context per cluster. A release server-side applies
 * (field manager `slipway`) exactly the objects `slipway render` prints for the cluster and service at the
 * release's version, namespaces first, and follows the workload's rollout from its status and pods.
 * Canary and preview groups are second workloads; traffic moves by HTTPRoute weights, replica ratio or
 * one switch of the Service's selector (see traffic-groups.ts).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SlipwayError } from '../../errors/index.js';
import type { K8sObject } from '../../render/k8s-object.js';
import { labelValue } from '../../render/labels.js';
import type { Platform } from '../../spec/schema/platform.js';
import {
  type CheckRequest,
  type CheckResponse,
  type EnsureReplicasRequest,
  type GroupStatus,
  type HeaderMatch,
  type PreflightResult,
  type ServiceRef,
  type ServiceStatus,
  type Snapshot,
  type Target,
  type TrafficBackend,
  TRAFFIC_GROUPS,
  isSeparateGroup,
  type SeparateGroup,
  type TrafficGroup,
  type Weights,
} from '../target.js';
import { desiredObjects, ROLLOUT_KINDS, workloadOf } from './desired-objects.js';
import { type ObjectRef, objectRef, stripServerFields } from './object-identity.js';
import { KubeClient, type KubeClientOptions } from './kube-client.js';
import { preflightCluster } from './preflight.js';
import { notSupportedYet, ServiceTraffic, type TrafficHost } from './service-traffic.js';
import { groupName, groupService, groupWorkload } from './traffic-groups.js';
import { imageOf, versionOf, versionOfImage } from './workload-version.js';
import { isNginxIngress, nginxCanaryIngress } from './nginx-canary.js';
import { stuckPod, workloadProgress } from './rollout-progress.js';
import { sleep } from '../../io/sleep.js';
import { experimentGroupsOf } from '../../strategies/experiment.js';

export interface KubernetesTargetOptions {
  cluster: string;
  spec: Platform;
  context: string;
  kubeconfig?: string;
  /** How often a rollout's progress is read (default 1 s). */
  pollMs?: number;
  client?: Partial<KubeClientOptions>;
}

export class KubernetesTarget implements Target, TrafficHost {
  readonly kind = 'kubernetes';
  // Weights by route or replica ratio; header routing only where render wrote an HTTPRoute (checked per service).
  readonly capabilities = { weights: true, headerRouting: false, liveState: true } as const;
  private readonly rendered = new Map<string, K8sObject[]>();
  private connected: KubeClient | undefined;
  private readonly traffic = new ServiceTraffic(this);

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

  groupsOf(service: string): TrafficGroup[] {
    return [...TRAFFIC_GROUPS, ...experimentGroupsOf(this.options.spec.services[service]?.release)];
  }

  workload(service: string, version?: string): K8sObject {
    const workload = workloadOf(this.objects(service, version));
    if (!workload)
      throw new SlipwayError(
        'KUBE_NO_WORKLOAD',
        `${service} renders no workload for the cluster ${this.cluster} (a Helm chart, or no image)`,
        {
          hint: 'Helm-delivered services are not released by the Kubernetes target yet',
        },
      );
    return workload;
  }

  async ensureReplicas(ref: ServiceRef, request: EnsureReplicasRequest): Promise<GroupStatus> {
    if (request.group !== 'stable') return this.ensureGroup(ref, request, request.group);
    this.workload(ref.service, request.version);
    const objects = this.objects(ref.service, request.version).map((o) => structuredClone(o));
    const workload = workloadOf(objects)!;
    if (workload.kind !== 'DaemonSet')
      (workload['spec'] as Record<string, unknown>)['replicas'] = request.replicas;
    for (const object of objects) await this.client.apply(object);
    return this.waitForRollout(ref, workload, request.deadlineMs);
  }

  /**
   * A canary or preview group: its own workload and Service at the new version. Without a route, a
   * canary's pods are its share of traffic, so it starts with none and each weight step sizes it.
   */
  private async ensureGroup(
    ref: ServiceRef,
    request: EnsureReplicasRequest,
    group: Exclude<TrafficGroup, 'stable'>,
  ): Promise<GroupStatus> {
    const workload = groupWorkload(this.workload(ref.service, request.version), group);
    const service = this.mainService(ref.service, request.version);
    if (workload.kind !== 'DaemonSet') {
      const byRatio = group === 'canary' && !this.routed(ref.service);
      const live = byRatio ? await this.readWorkload(workload) : undefined;
      const liveReplicas = (live?.['spec'] as { replicas?: number } | undefined)?.replicas;
      (workload['spec'] as Record<string, unknown>)['replicas'] = byRatio
        ? (liveReplicas ?? 0)
        : request.replicas;
    }
    if (service) await this.client.apply(groupService(service, group));
    // The group's pods carry the service's labels: unless the canary is its share of one Service (replica
    // ratio), the Service is pinned to stable's version first, so no request reaches them before its time.
    if (group === 'preview' || this.routed(ref.service)) await this.traffic.pinToStable(ref);
    await this.client.apply(workload);
    return this.waitForRollout(ref, workload, request.deadlineMs, group);
  }

  mainService(service: string, version?: string): K8sObject | undefined {
    return this.objects(service, version).find(
      (o) => o.kind === 'Service' && (o['spec'] as { clusterIP?: string }).clusterIP !== 'None',
    );
  }

  /** The HTTPRoute render wrote for the service (exposed through a gateway), if any. */
  route(service: string): K8sObject | undefined {
    return this.objects(service).find((o) => o.kind === 'HTTPRoute');
  }

  /** The Ingress render wrote for the service, when ingress-nginx serves it (a canary Ingress splits it). */
  nginxIngress(service: string): K8sObject | undefined {
    return this.objects(service).find(isNginxIngress);
  }

  /** Traffic is split between groups by these weights (see service-traffic.ts for how). */
  ensureWeights(ref: ServiceRef, weights: Weights, matches: HeaderMatch[] = []): Promise<void> {
    return this.traffic.ensureWeights(ref, weights, matches);
  }

  /** Whether something in front of the service splits its traffic by weight (else: replica ratio). */
  routed(service: string): boolean {
    return this.route(service) !== undefined || this.nginxIngress(service) !== undefined;
  }

  private async waitForRollout(
    ref: ServiceRef,
    workload: K8sObject,
    deadlineMs?: number,
    group: TrafficGroup = 'stable',
  ): Promise<GroupStatus> {
    const started = Date.now();
    const image = imageOf(workload);
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
        );
      const progress = workloadProgress(live);
      if (progress.failure)
        throw new SlipwayError(
          progress.failure.code,
          `${ref.service} on ${this.cluster}: ${progress.failure.message}`,
        );
      if (progress.done) return this.groupOf(live, progress.ready, group);
      const stuck = stuckPod(
        await this.client.pods(workload.metadata.namespace ?? 'default', selector),
        image,
      );
      if (stuck)
        throw new SlipwayError(
          stuck.code,
          `${ref.service}@${versionOfImage(image) ?? '?'} on ${this.cluster}: ${stuck.message}`,
        );
      if (deadlineMs !== undefined && Date.now() - started > deadlineMs)
        throw new SlipwayError(
          'KUBE_ROLLOUT_TIMEOUT',
          `${ref.service} on ${this.cluster} did not roll out within ${Math.round(deadlineMs / 1000)} s: ${progress.waiting}`,
        );
      await sleep(this.options.pollMs ?? 1000);
    }
  }

  readWorkload(workload: K8sObject): Promise<K8sObject | undefined> {
    return this.client.read<K8sObject & { metadata: { name: string } }>(
      workload.apiVersion,
      workload.kind,
      workload.metadata.name,
      workload.metadata.namespace,
    );
  }

  private groupOf(live: K8sObject, ready: number, group: TrafficGroup = 'stable'): GroupStatus {
    const version = versionOf(live);
    const progress = workloadProgress(live);
    return {
      group,
      versions: version ? [version] : [],
      desired: progress.desired,
      ready,
      replicas: [],
    };
  }

  /**
   * The group's version becomes stable, then the group goes. Stable rolls within the maxSurge / maxUnavailable
   * its rendered Deployment carries (the release policy's, the same as the step's bounds).
   */
  async promote(ref: ServiceRef, from: Exclude<TrafficGroup, 'stable'>, expected: string): Promise<void> {
    const group = groupWorkload(this.workload(ref.service), from);
    const live = await this.readWorkload(group);
    // No group left: a promotion cut short by a crash after its workload went; stable must run `expected`.
    const version = versionOf(live) ?? expected;
    if (!live && versionOf(await this.readWorkload(this.workload(ref.service))) !== expected)
      throw new SlipwayError(
        'KUBE_NO_GROUP',
        `${ref.service} has no ${from} group on ${this.cluster} to promote, and stable does not run ${expected}`,
      );
    const stable = this.workload(ref.service, version);
    const replicas = (stable['spec'] as { replicas?: number }).replicas ?? 1;
    // A canary's promotion rolls stable behind a Service that selects every pod (old ones leave as new
    // ones are ready); a switched preview keeps the Service on its version, so the old one gets nothing.
    if (from === 'canary') await this.traffic.unpin(ref);
    await this.ensureReplicas(ref, { group: 'stable', version, replicas, deadlineMs: 600_000 });
    await this.traffic.resetTraffic(ref);
    await this.removeGroup(ref, from);
  }

  private async removeGroup(ref: ServiceRef, group: Exclude<TrafficGroup, 'stable'>): Promise<void> {
    const workload = groupWorkload(this.workload(ref.service), group);
    const ingress = this.nginxIngress(ref.service);
    if (ingress && group === 'canary')
      await this.client.remove(nginxCanaryIngress(ingress, ref.service, 0, undefined));
    await this.client.remove(workload);
    const service = this.mainService(ref.service);
    if (service) await this.client.remove(groupService(service, group));
    // With no other group left, a Service pinned to stable's version goes back to render's selector.
    const others = this.groupsOf(ref.service).filter(
      (g): g is Exclude<TrafficGroup, 'stable'> => g !== 'stable' && g !== group,
    );
    const base = this.workload(ref.service);
    const left = await Promise.all(others.map((g) => this.readWorkload(groupWorkload(base, g))));
    const selected = await this.traffic.selectedVersion(ref);
    const stableVersion = versionOf(await this.readWorkload(base));
    if (
      left.every((l) => !l) &&
      selected !== undefined &&
      stableVersion &&
      selected === labelValue(stableVersion)
    )
      await this.traffic.unpin(ref);
  }

  async scaleToZero(ref: ServiceRef, group: TrafficGroup): Promise<void> {
    if (group !== 'stable') {
      // Its traffic first (to stable), then the group itself.
      if (!this.routed(ref.service) && group === 'canary')
        await this.traffic.scaleByRatio(ref, { stable: 100 });
      return this.removeGroup(ref, group);
    }
    const workload = this.workload(ref.service);
    if (workload.kind === 'DaemonSet' || !(await this.readWorkload(workload))) return;
    await this.client.apply({
      ...structuredClone(workload),
      spec: { ...(workload['spec'] as object), replicas: 0 },
    });
  }

  /** The service's live groups: stable and, while they exist, its canary and preview workloads. */
  private async liveGroups(service: string): Promise<GroupStatus[]> {
    const workload = workloadOf(this.objects(service));
    const groups: GroupStatus[] = [];
    if (workload)
      for (const group of this.groupsOf(service)) {
        const live = await this.readWorkload(group === 'stable' ? workload : groupWorkload(workload, group));
        if (live) groups.push(this.groupOf(live, workloadProgress(live).ready, group));
      }
    return groups;
  }

  /** Each group's workload (replicas, image, status — not its pod template, whose env may name secrets) and pods. */
  async diagnostics(ref: ServiceRef): Promise<Record<string, string>> {
    const base = this.workload(ref.service);
    const files: Record<string, string> = {};
    for (const group of this.groupsOf(ref.service)) {
      const live = await this.readWorkload(group === 'stable' ? base : groupWorkload(base, group));
      if (!live) continue;
      const spec = live['spec'] as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
      const selector = Object.entries(spec.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const pods = await this.client.pods(live.metadata.namespace ?? 'default', selector);
      files[`${group}/${live.kind}-${live.metadata.name}.json`] = JSON.stringify(
        { name: live.metadata.name, replicas: spec.replicas, image: imageOf(live), status: live['status'] },
        null,
        2,
      );
      files[`${group}/pods.json`] = JSON.stringify(
        pods.map((p) => ({ name: p.metadata?.name, status: p.status })),
        null,
        2,
      );
    }
    return files;
  }

  async observe(ref: ServiceRef): Promise<ServiceStatus> {
    const workload = workloadOf(this.objects(ref.service));
    const groups = await this.liveGroups(ref.service);
    const weights = groups.length ? await this.traffic.observedWeights(ref, groups) : {};
    const namespace = workload?.metadata.namespace;
    return {
      ...ref,
      groups,
      weights,
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
    // A/B steps need a route to carry header rules; weights alone also work by replica ratio.
    const abWithoutRoute = services.filter(
      (s) =>
        !this.routed(s.service) &&
        (this.options.spec.services[s.service]?.release?.steps ?? []).some(
          (step) => step.match !== undefined,
        ),
    );
    const result = await preflightCluster(this.client, this.cluster, objects);
    const findings = [
      ...unrendered.map(
        (s) =>
          `${s.service} renders no workload here (a Helm chart, or no image): not released by the Kubernetes target yet`,
      ),
      ...abWithoutRoute.map(
        (s) =>
          `${s.service}: ${notSupportedYet('an A/B match step without a gateway route (expose the service through a gateway)', this.cluster).message}`,
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

  /**
   * Where the version's requests go: each group running it, by the Service a route or client reaches it
   * through — the group's own behind a route, else the service's one Service (shared by a replica-ratio
   * canary with stable; a switched one reaches only the selected version).
   */
  async backendsOf(service: string, version: string, group?: SeparateGroup): Promise<TrafficBackend[]> {
    const ref = { service, cluster: this.cluster };
    const base = this.workload(service);
    const main = this.mainService(service);
    if (!main) return [];
    // Only the groups: the weights observe() also reads are not needed to name the backends.
    const groups = await this.liveGroups(service);
    const routed = this.routed(service);
    const selected = routed ? undefined : await this.traffic.selectedVersion(ref);
    // A group counted apart (a fresh baseline runs stable's version, a variant may too): asked for by group,
    // else left out.
    const carrying = groups.filter(
      (g) => g.versions.includes(version) && (group ? g.group === group : !isSeparateGroup(g.group)),
    );
    return carrying.map((g) => {
      const own = routed || (selected !== undefined && selected !== labelValue(version));
      return {
        namespace: main.metadata.namespace ?? '',
        workload: groupName(base.metadata.name, g.group),
        service: own ? groupName(main.metadata.name, g.group) : main.metadata.name,
        sharedService:
          !own &&
          selected === undefined &&
          groups.some((o) => o !== g && o.group !== 'preview' && o.desired > 0),
      };
    });
  }

  /** A check's request, through the API server's service proxy: no network route into the cluster needed. */
  async send(ref: ServiceRef, request: CheckRequest): Promise<CheckResponse> {
    const main = this.mainService(ref.service);
    // A check pinned to a canary or preview group goes to that group's own Service.
    const service =
      main && request.group && request.group !== 'stable' ? groupService(main, request.group) : main;
    if (!service)
      throw new SlipwayError(
        'KUBE_NO_SERVICE',
        `${ref.service} has no Service on ${this.cluster} to send a check to`,
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
