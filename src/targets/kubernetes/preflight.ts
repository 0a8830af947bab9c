/**
 * @module Preflight on a cluster: the API server answers (its version is shown), every kind the release
 * applies is served (a missing CRD names the service that needs it), and a SelfSubjectAccessReview
 * allows each verb Slipway uses on each resource in each namespace (a denial names the RBAC rule to add).
 */
import type { K8sObject } from '../../render/k8s-object.js';
import type { PreflightResult } from '../target.js';
import type { KubeClient } from './kube-client.js';
import { ROLLOUT_KINDS } from './desired-objects.js';

/** What Slipway does to objects of a kind: apply (get + patch), restore (delete), follow rollouts (pods). */
const VERBS = ['get', 'create', 'patch', 'delete'];

interface Served {
  plural: string;
  namespaced: boolean;
}

/** Discovery of one group version: kind → plural; undefined when the group version is not served. */
async function discover(client: KubeClient, apiVersion: string): Promise<Map<string, Served> | undefined> {
  const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const res = await client.raw('GET', path, undefined, { accept: 'application/json' });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`discovery of ${apiVersion} answered ${res.status}`);
  const list = JSON.parse(res.body) as { resources?: { name: string; kind: string; namespaced: boolean }[] };
  return new Map(
    (list.resources ?? [])
      .filter((r) => !r.name.includes('/'))
      .map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }]),
  );
}

export async function preflightCluster(
  client: KubeClient,
  cluster: string,
  objectsByService: Map<string, K8sObject[]>,
): Promise<PreflightResult> {
  const where = `cluster ${cluster} (context ${client.options.context})`;
  let version: string;
  try {
    version = await client.version();
  } catch (error) {
    return { ok: false, summary: `${where} is unreachable`, findings: [(error as Error).message] };
  }
  const findings: string[] = [];
  const discovery = new Map<string, Map<string, Served> | undefined>();
  const needs = new Map<
    string,
    { group: string; plural: string; namespace?: string; verbs: string[]; subresource?: string }
  >();
  for (const [service, objects] of objectsByService) {
    for (const o of objects) {
      if (!discovery.has(o.apiVersion)) discovery.set(o.apiVersion, await discover(client, o.apiVersion));
      const served = discovery.get(o.apiVersion)?.get(o.kind);
      if (!served) {
        findings.push(`${o.kind} (${o.apiVersion}) is not served: install its CRD (needed by ${service})`);
        continue;
      }
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
      const namespace = served.namespaced ? o.metadata.namespace : undefined;
      needs.set(`${group}/${served.plural}/${namespace ?? ''}`, {
        group,
        plural: served.plural,
        ...(namespace ? { namespace } : {}),
        // Namespaces are never deleted (other releases may use them since).
        verbs: o.kind === 'Namespace' ? VERBS.filter((v) => v !== 'delete') : VERBS,
      });
      if (ROLLOUT_KINDS.has(o.kind) && namespace)
        needs.set(`/pods/${namespace}`, { group: '', plural: 'pods', namespace, verbs: ['list'] });
      // HTTP checks reach the service through the API server's service proxy.
      if (o.kind === 'Service' && namespace)
        needs.set(`/services/proxy/${namespace}`, {
          group: '',
          plural: 'services',
          namespace,
          verbs: ['get'],
          subresource: 'proxy',
        });
    }
  }
  for (const need of needs.values())
    for (const verb of need.verbs)
      if (!(await client.allowed(verb, need.group, need.plural, need.namespace, need.subresource))) {
        const resource = need.subresource ? `${need.plural}/${need.subresource}` : need.plural;
        findings.push(
          `missing permission: ${verb} ${resource}${need.group ? `.${need.group}` : ''}${need.namespace ? ` in namespace ${need.namespace}` : ' (cluster-wide)'}` +
            ` — add to a ${need.namespace ? 'Role' : 'ClusterRole'}: { apiGroups: ["${need.group}"], resources: ["${resource}"], verbs: ["${verb}"] }`,
        );
      }
  return { ok: findings.length === 0, summary: `${where}: Kubernetes ${version}`, findings };
}
