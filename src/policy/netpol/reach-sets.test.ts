/** The set computation answers exactly what the per-pair reading of the NetworkPolicy semantics does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { K8sObject } from '../../render/k8s-object.js';
import { parseCidrs } from './ip-blocks.js';
import { buildModel } from './model.js';
import { ReachSets } from './reach-sets.js';
import { connection } from './reachability.js';

const label = fc.record(
  { app: fc.constantFrom('web', 'api', 'db'), tier: fc.constantFrom('front', 'back') },
  { requiredKeys: [] },
);
const selector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: label }),
  fc.record({
    matchExpressions: fc.array(
      fc.record({
        key: fc.constantFrom('app', 'tier', 'team'),
        operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
        values: fc.array(fc.constantFrom('web', 'api', 'db', 'front', 'x'), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  }),
);
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({
    namespaceSelector: fc.oneof(
      fc.constant({}),
      fc.record({ matchLabels: fc.record({ team: fc.constantFrom('a', 'b') }) }),
    ),
  }),
  fc.record({ namespaceSelector: fc.constant({}), podSelector: selector }),
  fc.constant({ ipBlock: { cidr: '0.0.0.0/0' } }),
);
const port = fc.oneof(
  fc.record({ port: fc.constantFrom(80, 8080, 53) }),
  fc.record({ port: fc.constantFrom('http', 'dns'), protocol: fc.constantFrom('TCP', 'UDP') }),
  fc.record({ port: fc.constant(8000), endPort: fc.constant(8100) }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP') }),
);
const rule = (peerField: 'from' | 'to') =>
  fc.record(
    { [peerField]: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) },
    { requiredKeys: [] },
  );
const policy = fc.record({
  namespace: fc.constantFrom('a', 'b'),
  podSelector: selector,
  policyTypes: fc.option(fc.subarray(['Ingress', 'Egress']), { nil: undefined }),
  ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
});
const workload = fc.record({
  namespace: fc.constantFrom('a', 'b'),
  labels: label,
  ports: fc.array(
    fc.record({
      containerPort: fc.constantFrom(80, 8080, 8050, 53),
      name: fc.constantFrom('http', 'dns', 'x'),
      protocol: fc.constantFrom('TCP', 'UDP'),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

type Workload = typeof workload extends fc.Arbitrary<infer T> ? T : never;
type Policy = typeof policy extends fc.Arbitrary<infer T> ? T : never;

function objects(workloads: Workload[], policies: Policy[]): K8sObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { team: 'a' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b', labels: { team: 'b' } } },
    ...workloads.map((w, i) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `w${i}`, namespace: w.namespace },
      spec: {
        template: { metadata: { labels: w.labels }, spec: { containers: [{ name: 'c', ports: w.ports }] } },
      },
    })),
    ...policies.map((p, i) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace: p.namespace },
      spec: {
        podSelector: p.podSelector,
        ...(p.policyTypes ? { policyTypes: p.policyTypes } : {}),
        ...(p.ingress ? { ingress: p.ingress } : {}),
        ...(p.egress ? { egress: p.egress } : {}),
      },
    })),
  ];
}

describe('reach sets', () => {
  it('agree with the per-pair semantics on every pair and port of random models', () => {
    fc.assert(
      fc.property(
        fc.array(workload, { minLength: 1, maxLength: 8 }),
        fc.array(policy, { maxLength: 6 }),
        fc.boolean(),
        (workloads, policies, withPodCidr) => {
          const cidrs = withPodCidr ? parseCidrs(['10.244.0.0/16']).cidrs : [];
          const model = buildModel(objects(workloads, policies), undefined, cidrs);
          const reach = new ReachSets(model);
          model.pods.forEach((destination, d) =>
            destination.ports.forEach((p, pi) => {
              const sources = reach.sourcesOf(d, pi);
              model.pods.forEach((source, s) =>
                assert.equal(
                  sources.has(s),
                  connection(model, source, destination, p).allowed,
                  `${source.id} → ${destination.id} ${p.port}/${p.protocol}`,
                ),
              );
            }),
          );
        },
      ),
      { numRuns: 400, seed: 20261130 },
    );
  });
});
