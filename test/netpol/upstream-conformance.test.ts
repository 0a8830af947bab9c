/**
 * Kubernetes' own NetworkPolicy e2e truth tables (test/fixtures/conformance/netpol/upstream-e2e.yaml, the
 * suite's cases written as data): netpol's per-pair reading and its set computation must both give every
 * expected connection, for every probed port and protocol. The suite's ipBlock cases need real pod IPs,
 * which manifests do not have; netpol's documented --pod-cidr reading of ipBlocks is tested apart.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseCidrs } from '../../src/policy/netpol/ip-blocks.js';
import { buildModel } from '../../src/policy/netpol/model.js';
import { ReachSets } from '../../src/policy/netpol/reach-sets.js';
import { connection } from '../../src/policy/netpol/reachability.js';
import type { K8sObject } from '../../src/render/k8s-object.js';

interface Case {
  name: string;
  pods: string[];
  /** The pods' ports (default: the e2e suite's 80 and 81 over TCP and UDP). */
  ports?: { name: string; containerPort: number; protocol: string }[];
  /** Where pod IPs live, for ipBlock peers. */
  podCidr?: string;
  namespaceLabels?: Record<string, Record<string, string>>;
  podLabels?: Record<string, Record<string, string>>;
  policies: { namespace: string; spec: Record<string, unknown> }[];
  checks: { port: number; protocol?: 'TCP' | 'UDP' | 'SCTP'; expect: [string, string, boolean][] }[];
}

const corpus = (file: string) =>
  parse(readFileSync(join(import.meta.dirname, '../fixtures/conformance/netpol', file), 'utf8')) as Case[];
const CASES = corpus('upstream-e2e.yaml');
const CYCLONUS = corpus('cyclonus-matcher.yaml');

/** The suite's pods: labelled pod=<name>, serving 80 and 81 over TCP and UDP under its port names. */
function objects(c: Case): K8sObject[] {
  const namespaces = [...new Set(c.pods.map((p) => p.split('/')[0]!))];
  const ports =
    c.ports ??
    [80, 81].flatMap((port) =>
      (['TCP', 'UDP'] as const).map((protocol) => ({
        name: `serve-${port}-${protocol.toLowerCase()}`,
        containerPort: port,
        protocol,
      })),
    );
  return [
    ...namespaces.map((ns) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: c.namespaceLabels?.[ns] ?? {} },
    })),
    ...c.pods.map((id) => {
      const [namespace, name] = id.split('/') as [string, string];
      const labels = { pod: name, ...c.podLabels?.[id] };
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'cont', ports }] } } },
      };
    }),
    ...c.policies.map((p, i) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `policy-${i}`, namespace: p.namespace },
      spec: p.spec,
    })),
  ];
}

const matches = (pattern: string, id: string) =>
  pattern === '*' || pattern === id || (pattern.endsWith('/*') && id.startsWith(pattern.slice(0, -1)));

/** Every connection of every check as the case expects, by the per-pair reading and by the sets. */
function judge(c: Case): void {
  const model = buildModel(objects(c), undefined, c.podCidr ? parseCidrs([c.podCidr]).cidrs : []);
  const reach = new ReachSets(model);
  for (const check of c.checks) {
    const protocol = check.protocol ?? 'TCP';
    const wrong: string[] = [];
    model.pods.forEach((destination, d) => {
      if (destination.virtual) return;
      const p = destination.ports.findIndex((x) => x.port === check.port && x.protocol === protocol);
      assert.ok(p >= 0, `${destination.id} serves no ${check.port}/${protocol}`);
      const sources = reach.sourcesOf(d, p);
      model.pods.forEach((source, s) => {
        if (source.virtual || source === destination) return; // the suite ignores loopback
        let expected = true;
        for (const [from, to, allowed] of check.expect)
          if (matches(from, source.id) && matches(to, destination.id)) expected = allowed;
        const perPair = connection(model, source, destination, destination.ports[p]!).allowed;
        if (perPair !== expected || sources.has(s) !== expected)
          wrong.push(
            `${source.id} → ${destination.id}: expected ${expected}, per pair ${perPair}, sets ${sources.has(s)}`,
          );
      });
    });
    assert.deepEqual(wrong, [], `port ${check.port}/${protocol}`);
  }
}

describe("Kubernetes' NetworkPolicy e2e truth tables", () => {
  it('the corpus is here', () => assert.ok(CASES.length >= 30, String(CASES.length)));
  for (const c of CASES) it(c.name, () => judge(c));
});

describe("cyclonus' policy matcher cases", () => {
  for (const c of CYCLONUS) it(c.name, () => judge(c));
});
