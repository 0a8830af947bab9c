/**
 * @module Canary and preview groups on a cluster: a second workload (`<service>-canary`,
 * `<service>-preview`) with its own Service, cloned from render's objects at the new version and told
 * apart by the `slipway.dev/group` label; and how traffic is split between the groups — by the
 * HTTPRoute's backend weights when the service is exposed through a gateway, else by replica ratio
 * behind the service's one Service (as Argo Rollouts' basic canary).
 */
import type { K8sObject } from '../../render/k8s-object.js';
import { gatewayHeaderMatch } from '../header-match.js';
import type { HeaderMatch, TrafficGroup, Weights } from '../target.js';

export const GROUP_LABEL = 'slipway.dev/group';

type Labels = Record<string, string>;
type WorkloadSpec = Record<string, unknown> & {
  selector?: { matchLabels?: Labels };
  template?: { metadata?: { labels?: Labels } };
};

export const groupName = (name: string, group: TrafficGroup) =>
  group === 'stable' ? name : `${name}-${group}`;

/** A copy of an object named and labelled for a group. */
function groupCopy(object: K8sObject, group: Exclude<TrafficGroup, 'stable'>): K8sObject {
  const copy = structuredClone(object);
  copy.metadata = {
    ...copy.metadata,
    name: groupName(object.metadata.name, group),
    labels: { ...copy.metadata.labels, [GROUP_LABEL]: group },
  };
  return copy;
}

/** The group's copy of a workload: its own name, and a selector that only its own pods match. */
export function groupWorkload(workload: K8sObject, group: Exclude<TrafficGroup, 'stable'>): K8sObject {
  const copy = groupCopy(workload, group);
  const spec = copy['spec'] as WorkloadSpec;
  spec.selector = { ...spec.selector, matchLabels: { ...spec.selector?.matchLabels, [GROUP_LABEL]: group } };
  spec.template = {
    ...spec.template,
    metadata: {
      ...spec.template?.metadata,
      labels: { ...spec.template?.metadata?.labels, [GROUP_LABEL]: group },
    },
  };
  return copy;
}

/** The group's own Service: checks pinned to the group, and the route's backend for it. */
export function groupService(service: K8sObject, group: Exclude<TrafficGroup, 'stable'>): K8sObject {
  const copy = groupCopy(service, group);
  const spec = copy['spec'] as { selector?: Labels };
  spec.selector = { ...spec.selector, [GROUP_LABEL]: group };
  return copy;
}

/** The rendered HTTPRoute with its backends weighted by group, and a header rule per A/B match. */
export function weightedRoute(
  route: K8sObject,
  service: string,
  weights: Weights,
  matches: HeaderMatch[],
): K8sObject {
  const copy = structuredClone(route);
  const spec = copy['spec'] as {
    rules?: { backendRefs?: { name: string; port?: number; weight?: number }[]; matches?: unknown[] }[];
  };
  const rules = spec.rules ?? [];
  const port = rules[0]?.backendRefs?.[0]?.port;
  const groups = (Object.keys(weights) as TrafficGroup[]).filter((g) => (weights[g] ?? 0) > 0);
  const backends = (groups.length ? groups : (['stable'] as TrafficGroup[])).map((g) => ({
    name: groupName(service, g),
    ...(port !== undefined ? { port } : {}),
    weight: weights[g] ?? 100,
  }));
  const byHeader = matches.map((m) => ({
    matches: [{ headers: Object.entries(m.headers).map(([name, value]) => gatewayHeaderMatch(name, value)) }],
    backendRefs: [{ name: groupName(service, m.group), ...(port !== undefined ? { port } : {}) }],
  }));
  spec.rules = [...byHeader, ...rules.map((r) => ({ ...r, backendRefs: backends }))];
  return copy;
}
