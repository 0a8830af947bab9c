/**
 * @module How one service's traffic moves between its groups on a cluster: the HTTPRoute's backend
 * weights (and header rules) where render wrote a route; an ingress-nginx canary Ingress; else all of it
 * to one group by the Service's version selector (blue-green's switch, and the pin that keeps a preview
 * or routed canary's pods out of stable's traffic), or a canary's share by replica ratio.
 */
import { SlipwayError } from '../../errors/index.js';
import { type K8sObject, LABEL } from '../../render/k8s-object.js';
import { labelValue } from '../../render/labels.js';
import { ratioReplicas } from '../../strategies/replica-ratio.js';
import {
  type GroupStatus,
  type HeaderMatch,
  type ServiceRef,
  type TrafficGroup,
  type Weights,
} from '../target.js';
import type { KubeClient } from './kube-client.js';
import { nginxCanaryIngress, nginxCanaryWeight } from './nginx-canary.js';
import { groupName, groupWorkload, weightedRoute } from './traffic-groups.js';
import { versionOf } from './workload-version.js';

/** The field manager of traffic changes (weights by replica ratio, the blue-green switch): apart from render's fields. */
const TRAFFIC_MANAGER = 'slipway-traffic';

export const notSupportedYet = (what: string, cluster: string) =>
  new SlipwayError(
    'KUBE_NOT_SUPPORTED_YET',
    `${what} on the Kubernetes cluster ${cluster} is not supported yet`,
    {
      hint: 'header routing needs the HTTPRoute render writes for a service exposed through a gateway, or an ingress-nginx Ingress',
    },
  );

/** What the traffic code needs of the Kubernetes target: render's objects for a service, and the live API. */
export interface TrafficHost {
  readonly client: KubeClient;
  readonly cluster: string;
  workload(service: string, version?: string): K8sObject;
  mainService(service: string, version?: string): K8sObject | undefined;
  route(service: string): K8sObject | undefined;
  nginxIngress(service: string): K8sObject | undefined;
  routed(service: string): boolean;
  readWorkload(workload: K8sObject): Promise<K8sObject | undefined>;
  /** The groups the service may have: the usual ones and its experiment steps' variants. */
  groupsOf(service: string): TrafficGroup[];
}

export class ServiceTraffic {
  constructor(private readonly host: TrafficHost) {}

  /** The Service selects only the stable group's version (a no-op when it is already switched or nothing runs). */
  async pinToStable(ref: ServiceRef): Promise<void> {
    if ((await this.selectedVersion(ref)) !== undefined) return;
    if (versionOf(await this.host.readWorkload(this.host.workload(ref.service))))
      await this.selectOnly(ref, 'stable');
  }

  /** The Service selects every pod of the service again, as render wrote it. */
  async unpin(ref: ServiceRef): Promise<void> {
    const service = this.host.mainService(ref.service);
    if (service && (await this.selectedVersion(ref)) !== undefined)
      await this.host.client.mergePatch(
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: service.metadata.name, namespace: service.metadata.namespace },
          spec: { selector: { [LABEL.version]: null } },
        } as unknown as K8sObject,
        TRAFFIC_MANAGER,
      );
  }

  /**
   * Traffic between groups: the HTTPRoute's backend weights (and header rules) where render wrote a
   * route; else all of it to one group by the Service's version selector (blue-green's switch: one
   * patch), or a canary's share by replica ratio, rounded to whole pods.
   */
  async ensureWeights(ref: ServiceRef, weights: Weights, matches: HeaderMatch[] = []): Promise<void> {
    const route = this.host.route(ref.service);
    if (route) {
      await this.host.client.apply(
        weightedRoute(route, this.host.workload(ref.service).metadata.name, weights, matches),
      );
      return;
    }
    const ingress = this.host.nginxIngress(ref.service);
    if (ingress && ((weights.canary ?? 0) > 0 || matches.length > 0))
      return this.ensureNginxCanary(ref, ingress, weights, matches);
    if (ingress) await this.host.client.remove(nginxCanaryIngress(ingress, ref.service, 0, undefined));
    if (matches.length > 0)
      throw notSupportedYet(
        `header routing for ${ref.service} without a gateway (expose it through one)`,
        this.host.cluster,
      );
    const all = (Object.keys(weights) as TrafficGroup[]).find((g) => weights[g] === 100);
    const selected = await this.selectedVersion(ref);
    // Behind ingress-nginx a canary's share is its Ingress (removed above), never the replica ratio.
    if (ingress && !(all && (all !== 'stable' || selected !== undefined))) return;
    if (all && (all !== 'stable' || selected !== undefined)) return this.selectOnly(ref, all);
    // A split by replica ratio needs the Service to select every pod again (after a switch).
    if (selected !== undefined) await this.resetTraffic(ref);
    await this.scaleByRatio(ref, weights);
  }

  /** The canary's share (and one A/B header) through ingress-nginx's canary Ingress. */
  async ensureNginxCanary(
    ref: ServiceRef,
    ingress: K8sObject,
    weights: Weights,
    matches: HeaderMatch[],
  ): Promise<void> {
    const [match, ...more] = matches;
    if (more.length > 0 || (match && (match.group !== 'canary' || Object.keys(match.headers).length !== 1)))
      throw notSupportedYet(
        `${matches.length} header rules for ${ref.service} through ingress-nginx (its canary Ingress routes one header to the canary)`,
        this.host.cluster,
      );
    const name = this.host.mainService(ref.service)?.metadata.name ?? ref.service;
    await this.host.client.apply(nginxCanaryIngress(ingress, name, weights.canary ?? 0, match));
  }

  /** The version the service's Service is switched to, or undefined when it selects every group. */
  async selectedVersion(ref: ServiceRef): Promise<string | undefined> {
    const service = this.host.mainService(ref.service);
    if (!service) return undefined;
    const live = await this.host.client.read<K8sObject>(
      'v1',
      'Service',
      service.metadata.name,
      service.metadata.namespace,
    );
    return (live?.['spec'] as { selector?: Record<string, string> } | undefined)?.selector?.[LABEL.version];
  }

  /** The switch: the Service selects only the pods of the group's version. */
  async selectOnly(ref: ServiceRef, group: TrafficGroup): Promise<void> {
    const service = this.host.mainService(ref.service);
    const base = this.host.workload(ref.service);
    const live = await this.host.readWorkload(group === 'stable' ? base : groupWorkload(base, group));
    const version = versionOf(live);
    if (!service || !version)
      throw new SlipwayError(
        'KUBE_NO_GROUP',
        `${ref.service} has no ${group} group on ${this.host.cluster} to switch to`,
      );
    await this.host.client.mergePatch(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: service.metadata.name, namespace: service.metadata.namespace },
        spec: { selector: { [LABEL.version]: labelValue(version) } },
      },
      TRAFFIC_MANAGER,
    );
  }

  /** A basic canary: the canary's pods are its share of one Service's traffic. */
  async scaleByRatio(ref: ServiceRef, weights: Weights): Promise<void> {
    const stable = this.host.workload(ref.service);
    const canary = groupWorkload(stable, 'canary');
    const replicasOf = async (w: K8sObject) =>
      ((await this.host.readWorkload(w))?.['spec'] as { replicas?: number } | undefined)?.replicas;
    const liveCanary = await replicasOf(canary);
    const liveStable = await replicasOf(stable);
    if (liveStable === undefined) return; // nothing runs: no traffic to split
    const total = liveStable + (liveCanary ?? 0);
    const split = ratioReplicas(total, weights);
    const scale = (w: K8sObject, replicas: number) =>
      this.host.client.mergePatch(
        {
          apiVersion: w.apiVersion,
          kind: w.kind,
          metadata: { name: w.metadata.name, namespace: w.metadata.namespace },
          spec: { replicas },
        },
        TRAFFIC_MANAGER,
      );
    // Capacity first: the side that grows is scaled before the side that shrinks.
    if (liveCanary !== undefined && split.canary > liveCanary) await scale(canary, split.canary);
    await scale(stable, split.stable);
    if (liveCanary !== undefined && split.canary <= liveCanary) await scale(canary, split.canary);
  }

  /** Traffic as render wrote it: the route's single backend, the Service selecting every pod of the service. */
  async resetTraffic(ref: ServiceRef): Promise<void> {
    const route = this.host.route(ref.service);
    if (route) await this.host.client.apply(route);
    const ingress = this.host.nginxIngress(ref.service);
    if (ingress) await this.host.client.remove(nginxCanaryIngress(ingress, ref.service, 0, undefined));
    await this.unpin(ref);
  }

  /** Where traffic goes now: the live route's backend weights, the Service's switch, or the replica ratio. */
  async observedWeights(ref: ServiceRef, groups: GroupStatus[]): Promise<Weights> {
    const route = this.host.route(ref.service);
    const name = this.host.workload(ref.service).metadata.name;
    if (route) {
      const live = await this.host.client.read<K8sObject>(
        route.apiVersion,
        route.kind,
        route.metadata.name,
        route.metadata.namespace,
      );
      const rules =
        (
          live?.['spec'] as
            | { rules?: { matches?: unknown[]; backendRefs?: { name: string; weight?: number }[] }[] }
            | undefined
        )?.rules ?? [];
      const main =
        rules.find((r) => !r.matches?.some((m) => (m as { headers?: unknown }).headers)) ?? rules[0];
      const weights: Weights = {};
      for (const b of main?.backendRefs ?? []) {
        const group = this.host.groupsOf(ref.service).find((g) => groupName(name, g) === b.name);
        if (group) weights[group] = b.weight ?? 100;
      }
      return weights;
    }
    const ingress = this.host.nginxIngress(ref.service);
    if (ingress) {
      const { apiVersion, kind, metadata } = nginxCanaryIngress(ingress, ref.service, 0, undefined);
      const weight = nginxCanaryWeight(
        await this.host.client.read<K8sObject>(apiVersion, kind, metadata.name, metadata.namespace),
      );
      if (weight > 0) return { stable: 100 - weight, canary: weight };
    }
    const selected = await this.selectedVersion(ref);
    if (selected !== undefined) {
      const group = groups.find((g) => g.versions.some((v) => labelValue(v) === selected))?.group ?? 'stable';
      return { [group]: 100 };
    }
    const desired = (g: TrafficGroup) => groups.find((x) => x.group === g)?.desired ?? 0;
    const total = desired('stable') + desired('canary');
    const canary = total > 0 ? Math.round((desired('canary') / total) * 100) : 0;
    return canary > 0 ? { stable: 100 - canary, canary } : { stable: 100 };
  }
}
