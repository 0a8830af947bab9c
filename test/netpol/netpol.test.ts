/** NetworkPolicy reachability and its comparison with the declared dependencies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/policy/netpol/analyze.js';
import { parseCidrs } from '../../src/policy/netpol/ip-blocks.js';
import { buildModel } from '../../src/policy/netpol/model.js';
import { connection } from '../../src/policy/netpol/reachability.js';
import type { K8sObject } from '../../src/render/k8s-object.js';
import { runCli } from '../cli/cli-helpers.js';

function deployment(
  name: string,
  namespace: string,
  ports: { name?: string; containerPort: number; protocol?: string }[],
  extra: Record<string, string> = {},
): K8sObject {
  const labels = { app: name, ...extra };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: 'x:1', ports }] } },
    },
  };
}
const policy = (name: string, namespace: string, spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

describe('netpol: semantics', () => {
  const web = deployment('web', 'a', [{ name: 'http', containerPort: 8080 }]);
  const db = deployment('db', 'b', [
    { name: 'pg', containerPort: 5432 },
    { name: 'metrics', containerPort: 9187 },
  ]);
  const b = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b', labels: { team: 'data' } } };

  function allowed(objects: K8sObject[], port: number, podCidrs: string[] = []) {
    const model = buildModel(objects, undefined, parseCidrs(podCidrs).cidrs);
    const [src, dst] = [
      model.pods.find((p) => p.service === 'web')!,
      model.pods.find((p) => p.service === 'db')!,
    ];
    return connection(
      model,
      src,
      dst,
      dst.ports.find((p) => p.port === port)!,
    ).allowed;
  }

  it('ipBlock peers match pods only with --pod-cidr, and only when they cover every pod address', () => {
    // The upstream conformance case "should allow egress access to server in CIDR block", with the pod
    // addresses given as the cluster's pod CIDR: egress to 0.0.0.0/0 reaches pods inside it.
    const egressTo = (ipBlock: Record<string, unknown>) =>
      policy('out', 'a', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock }] }] });
    const world = egressTo({ cidr: '0.0.0.0/0' });
    assert.equal(allowed([web, db, world], 5432), false, 'without --pod-cidr an ipBlock matches no pod');
    assert.equal(allowed([web, db, world], 5432, ['10.244.0.0/16']), true);
    assert.equal(
      allowed([web, db, egressTo({ cidr: '0.0.0.0/0', except: ['10.244.7.0/24'] })], 5432, ['10.244.0.0/16']),
      false,
      'an except inside the pod CIDR leaves some pods out: not allowed for all',
    );
    assert.equal(allowed([web, db, egressTo({ cidr: '10.244.0.0/17' })], 5432, ['10.244.0.0/16']), false);
    assert.equal(allowed([web, db, egressTo({ cidr: '10.0.0.0/8' })], 5432, ['10.244.0.0/16']), true);
    assert.equal(allowed([web, db, egressTo({ cidr: '::/0' })], 5432, ['10.244.0.0/16']), false, 'families');
    assert.equal(allowed([web, db, egressTo({ cidr: '::/0' })], 5432, ['fd00:10:244::/56']), true);
  });

  it('--pod-cidr that is not a CIDR is a user error', async () => {
    const r = await runCli(
      'netpol',
      '-f',
      'examples/demo/slipway.yaml',
      '--pod-cidr',
      '10.244.0.0/16,10.1.2.3/99',
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--pod-cidr: "10\.1\.2\.3\/99" is not a CIDR/);
  });

  it('with no policy everything is allowed; an ingress policy without rules isolates', () => {
    assert.equal(allowed([web, db], 5432), true);
    assert.equal(allowed([web, db, policy('deny', 'b', { podSelector: {} })], 5432), false);
  });

  it('omitted policyTypes: an ingress-only policy does not isolate egress', () => {
    const p = policy('p', 'a', { podSelector: {}, ingress: [] });
    assert.equal(allowed([web, db, p], 5432), true);
    const withEgress = policy('p', 'a', {
      podSelector: {},
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'nope' } } }] }],
    });
    assert.equal(allowed([web, db, withEgress], 5432), false);
  });

  it('namespaceSelector AND podSelector in one peer; named ports resolve on the destination', () => {
    const ingress = (peer: Record<string, unknown>, port: unknown) =>
      policy('in', 'b', {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [peer], ports: [{ port }] }],
      });
    const both = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } },
      podSelector: { matchLabels: { app: 'web' } },
    };
    assert.equal(allowed([web, db, b, ingress(both, 'pg')], 5432), true);
    assert.equal(allowed([web, db, b, ingress(both, 'pg')], 9187), false);
    const wrongPods = { ...both, podSelector: { matchLabels: { app: 'other' } } };
    assert.equal(allowed([web, db, b, ingress(wrongPods, 5432)], 5432), false);
    // A podSelector alone means the policy's own namespace: web (namespace a) is not matched.
    assert.equal(
      allowed([web, db, b, ingress({ podSelector: { matchLabels: { app: 'web' } } }, 5432)], 5432),
      false,
    );
    const range = policy('in', 'b', {
      podSelector: {},
      ingress: [{ ports: [{ port: 5000, endPort: 6000 }] }],
    });
    assert.equal(allowed([web, db, range], 5432), true);
    assert.equal(allowed([web, db, range], 9187), false);
  });

  it('an ipBlock peer matches no pod', () => {
    const p = policy('in', 'b', {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
    });
    assert.equal(allowed([web, db, p], 5432), false);
  });
});

describe('netpol: declared calls', () => {
  it("finds the declared calls the medical document's hand-written policy drops, and its missing DNS", async () => {
    const r = await runCli(
      'netpol',
      'test/fixtures/netpol/medical-handwritten.yaml',
      '--spec',
      'examples/medical-platform/slipway.yaml',
      '--json',
      '--explain',
    );
    assert.equal(r.code, 1, r.stderr);
    const [report] = JSON.parse(r.stdout) as {
      dropped: { source: string; destination: string; reason: string }[];
      dnsBlocked: string[];
      undeclared: { source: string; destination: string }[];
      explained: { source: string; destination: string; port: string; egress: string; ingress: string }[];
    }[];
    assert.deepEqual(
      report!.dropped.map((d) => `${d.source} → ${d.destination}`),
      [
        'medical-platform/api-gateway → medical-platform/ml-inference',
        'medical-platform/api-gateway → medical-platform/redis',
      ],
    );
    assert.match(
      report!.dropped[0]!.reason,
      /egress of medical-platform\/api-gateway is isolated by medical-platform\/api-gateway-policy/,
    );
    assert.deepEqual(report!.dnsBlocked, ['medical-platform/api-gateway']);
    // expose.from declares the ingress controller as a caller of api-gateway.
    assert.ok(!report!.undeclared.some((u) => u.destination === 'medical-platform/api-gateway'));
    const why = report!.explained.find(
      (e) => e.source === 'medical-platform/api-gateway' && e.destination === 'medical-platform/data-upload',
    );
    assert.deepEqual(why && [why.port, why.egress, why.ingress], [
      '8080/TCP',
      'medical-platform/api-gateway-policy egress[0]',
      'not isolated',
    ]);
    // Nothing isolates the other pods: e.g. redis may call data-upload although nobody declared it.
    assert.ok(
      report!.undeclared.some(
        (u) => u.source === 'medical-platform/redis' && u.destination === 'medical-platform/data-upload',
      ),
    );
  });

  it("the spec's rendered policies allow every declared call and nothing else", async () => {
    for (const example of ['medical-platform', 'normaldance', 'streamforge', 'x0tta6bl4-update']) {
      const r = await runCli('netpol', '-f', `examples/${example}/slipway.yaml`, '--json');
      const reports = JSON.parse(r.stdout) as {
        scope: string;
        dropped: unknown[];
        dnsBlocked: unknown[];
        undeclared: unknown[];
      }[];
      for (const report of reports) {
        assert.deepEqual(
          [report.dropped, report.dnsBlocked, report.undeclared],
          [[], [], []],
          `${example} ${report.scope}`,
        );
      }
      assert.equal(r.code, 0);
    }
  });

  it('--matrix prints who reaches whom on which ports', async () => {
    const r = await runCli(
      'netpol',
      '-f',
      'examples/medical-platform/slipway.yaml',
      '--env',
      'production',
      '--matrix',
    );
    assert.match(r.stdout, /^production\/gke-production: 8 workload\(s\)$/m);
    assert.match(
      r.stdout,
      /^api-gateway +- +8080\/TCP +8080\/TCP +8500\/TCP,8501\/TCP +- +- +- +6379\/TCP$/m,
    );
  });

  it('summarises a destination with many undeclared callers instead of listing every pair', () => {
    const many = (ns: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        deployment(`${ns}${i}`, ns, [{ name: 'http', containerPort: 8080 }]),
      );
    // Nothing isolates: every workload reaches every other.
    const open = analyze([...many('a', 20), ...many('b', 20)]);
    const toA0 = open.undeclared.filter((u) => u.destination === 'a/a0');
    assert.deepEqual(toA0, [
      { source: 'any pod', destination: 'a/a0', ports: ['8080/TCP (http)'], sources: 39 },
    ]);
    // b admits only its own namespace: a's callers are gone, b's are "any pod in b".
    const own = analyze([
      ...many('a', 20),
      ...many('b', 30),
      policy('same-ns', 'b', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
    ]);
    assert.deepEqual(
      own.undeclared.filter((u) => u.destination === 'b/b0'),
      [{ source: 'any pod in b', destination: 'b/b0', ports: ['8080/TCP (http)'], sources: 29 }],
    );
    // Few callers are still listed one by one.
    const few = analyze(many('c', 5));
    assert.equal(few.undeclared.filter((u) => u.destination === 'c/c0').length, 4);
    assert.ok(few.undeclared.every((u) => u.sources === undefined));
    // The per-pair matrix is there only when asked for.
    assert.equal(open.matrix, undefined);
    assert.equal(analyze(many('d', 3), undefined, undefined, [], { matrix: true }).matrix?.size, 3);
  });
});
