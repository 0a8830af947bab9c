/**
 * Seed 001 end to end (shared/seeds/001_d2d8ca39968e9eba.txt, examples/x0tta6bl4-update): three simulated
 * clusters named by a kubeconfig with the seed's contexts (eks-us-east-1 for staging and the primary region,
 * k3s-moscow, k3s-spb). Staging first, approval by the architect, waves [us-east-1] → [moscow, spb], rolling
 * 25 % / 0 with the quantum namespace at maxSurge 1, the spec's checks. A version whose pods crash-loop in
 * the second wave is rolled back on every touched cluster in reverse order, and every object equals its
 * backup afterwards. Transient API faults change nothing in the outcome.
 *
 * What stands in for the outside world, and only that: the check scripts (`run-integration-tests.sh`,
 * `artillery`, `curl` against the public host) are local stubs that record their arguments; the public
 * health URL is reached through the service proxy; the PromQL analyses are dropped (no Prometheus scrapes a
 * simulated cluster — test/analysis covers them against a real one); so is the registry preflight (the
 * seed's registry is not reachable here — test/registry runs it against the real distribution server).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { eventually, ROOT } from '../local/local-harness.js';
import { getPath, type Json, leafPaths } from '../kube-sim/field-ownership.js';
import { startClusters, startKubeRuntime } from './kube-harness.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function seedSpec(): string {
  const doc = parse(readFileSync(join(ROOT, 'examples/x0tta6bl4-update/slipway.yaml'), 'utf8')) as Doc;
  for (const service of Object.values(doc['services'] as Record<string, Doc>))
    delete service['release']?.['analysis'];
  delete doc['analysis'];
  delete doc['release']['preflight']; // registry.x0tta6bl4.com is the outside world: test/registry covers the check
  doc['checks']['api-health-poll'] = { http: { path: '/health', expect: 200 } };
  return stringify(doc);
}

function stubs(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const stub = (name: string) => {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "${join(dir, 'calls.log')}"\nexit 0\n`);
    chmodSync(path, 0o755);
  };
  for (const name of ['artillery', 'curl']) stub(name);
  writeFileSync(
    join(dir, 'run-integration-tests.sh'),
    `#!/bin/sh\necho "integration $1 $2 ns=$SLIPWAY_NAMESPACE ctx=$SLIPWAY_KUBE_CONTEXT" >> "${join(dir, 'calls.log')}"\n`,
  );
  chmodSync(join(dir, 'run-integration-tests.sh'), 0o755);
  return bin;
}

const CONTEXTS = ['eks-us-east-1', 'k3s-moscow', 'k3s-spb'];
const CHANGES = ['api-gateway', 'cultural-agents', 'business-agents', 'quantum-services'];

describe('seed 001 on three simulated clusters', { timeout: 240_000 }, () => {
  it('releases through staging, approval and two waves, and rolls a second-wave crash loop back everywhere', async () => {
    await using clusters = await startClusters(
      CONTEXTS,
      {},
      {
        'k3s-moscow': { badImage: (image) => (image.endsWith(':v1.2.0') ? 'crashloop' : undefined) },
      },
    );
    const bin = stubs(clusters.dir);
    const path = process.env['PATH'];
    process.env['PATH'] = `${bin}:${path}`;
    try {
      // Commands run where the spec is: ./run-integration-tests.sh is in the test's directory.
      await using h = await startKubeRuntime(seedSpec(), clusters.kubeconfig, clusters.dir, clusters.dir);
      const c = h.controller;
      const release = async (version: string) => {
        const id = (
          await c.release({ changes: CHANGES.map((service) => ({ service, version })) }, 'release-bot')
        ).release.id;
        await eventually(
          async () => (await c.get(id)).state.status === 'waiting-approval',
          60_000,
          'the approval gate',
        ).catch((e: Error) => {
          throw new Error(`${e.message}\n${h.lines.join('\n')}`);
        });
        await c.approve(id, 'architect-anna');
        return c.wait(id);
      };

      // The clusters start empty: the spec's version goes out first (a first deployment), then the update.
      assert.equal((await release('v1.0.0')).state.status, 'succeeded', h.lines.join('\n'));
      const good = await release('v1.1.0');
      assert.equal(good.state.status, 'succeeded', h.lines.join('\n'));
      const order = good.plan.steps
        .filter((s) => s.kind === 'ensure-replicas')
        .map((s) => `${s.cluster}/${s.service}`);
      assert.deepEqual(order.slice(0, 4), [
        'staging/api-gateway',
        'staging/cultural-agents',
        'staging/business-agents',
        'staging/quantum-services',
      ]);
      assert.ok(
        order.indexOf('us-east-1/api-gateway') < order.indexOf('moscow/cultural-agents'),
        'wave 1 before wave 2',
      );
      const quantum = good.plan.steps.find((s) => s.id === 'production/moscow/quantum-services/01-ensure');
      assert.equal(quantum?.kind === 'ensure-replicas' && quantum.maxSurge, 1);
      const strategyOf = (context: string, ns: string, name: string) => {
        const sim = clusters.sim(context);
        const d = sim.store.get(
          sim.served().find((r) => r.kind === 'Deployment')!,
          ns,
          name,
        )?.object as Doc;
        return d['spec']['strategy']['rollingUpdate'] as Doc;
      };
      assert.deepEqual(strategyOf('eks-us-east-1', 'x0tta6bl4-system', 'api-gateway'), {
        maxSurge: '25%',
        maxUnavailable: 0,
      });
      assert.deepEqual(strategyOf('k3s-spb', 'x0tta6bl4-quantum', 'quantum-services'), {
        maxSurge: 1,
        maxUnavailable: 0,
      });
      const calls = readFileSync(join(clusters.dir, 'calls.log'), 'utf8');
      assert.match(calls, /integration api-gateway v1\.1\.0 ns=staging ctx=eks-us-east-1/);
      assert.match(calls, /artillery run load-test-api-gateway\.yaml/);

      // Transient faults on the primary region during the next release.
      clusters
        .sim('eks-us-east-1')
        .faults.push(
          { match: (m) => m === 'PATCH', fault: { status: 500 }, times: 3 },
          { match: (m) => m === 'GET', fault: { status: 429, retryAfterSeconds: 1 }, times: 2 },
        );
      const bad = await release('v1.2.0');
      assert.equal(bad.state.status, 'rolled-back', h.lines.join('\n'));
      assert.match(
        bad.state.failure?.reason ?? '',
        /moscow: pod \S+ container \S+ is in CrashLoopBackOff.*exit code 1/,
      );
      const events = await h.runtime.store.events(bad.release.id);
      const restored = events
        .filter((e) => e.type === 'rollback-step-completed')
        .map((e) => String((e.payload as { step: string }).step))
        .filter((s) => s.endsWith('/2-stable'))
        .map((s) => s.split('/')[2]);
      assert.deepEqual(
        [...new Set(restored)],
        ['moscow', 'us-east-1', 'staging'],
        'reverse order over every touched cluster',
      );

      const snapshots = events
        .filter((e) => e.type === 'step-completed')
        .flatMap((e) => (e.payload as { result?: { snapshots?: Snap[] } }).result?.snapshots ?? []);
      const contextOf: Record<string, string> = {
        staging: 'eks-us-east-1',
        'us-east-1': 'eks-us-east-1',
        moscow: 'k3s-moscow',
        spb: 'k3s-spb',
      };
      // staging and us-east-1 share the context eks-us-east-1, and quantum-services the namespace
      // x0tta6bl4-quantum there: the same object is backed up twice, and its first backup is the truth.
      const first = new Map<
        string,
        { cluster: string; ref: Snap['snapshot']['objects'][number]['ref']; live: unknown }
      >();
      for (const b of snapshots.filter((s) => s.cluster !== 'spb'))
        for (const { ref, live } of b.snapshot.objects) {
          const key = `${contextOf[b.cluster]}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
          if (!first.has(key)) first.set(key, { cluster: b.cluster, ref, live });
        }
      let compared = 0;
      for (const { cluster, ref, live: before } of first.values()) {
        const sim = clusters.sim(contextOf[cluster]!);
        const resource = sim.served().find((r) => r.kind === ref.kind)!;
        const now = sim.store.get(resource, ref.namespace, ref.name)?.object;
        if (!before) {
          assert.equal(
            now === undefined || ref.kind === 'Namespace',
            true,
            `${ref.kind} ${ref.name} was created by the release and is gone`,
          );
          continue;
        }
        assert.ok(now, `${cluster}: ${ref.kind} ${ref.name}`);
        assert.deepEqual(
          leafPaths(now).sort(),
          leafPaths(before as Json).sort(),
          `${cluster}: ${ref.kind} ${ref.name}`,
        );
        for (const p of leafPaths(before as Json))
          assert.deepEqual(
            getPath(now, p),
            getPath(before as Json, p),
            `${cluster}: ${ref.kind} ${ref.name} ${p}`,
          );
        compared++;
      }
      assert.ok(compared > 20, `${compared} objects compared with their backups`);
    } finally {
      process.env['PATH'] = path;
    }
  });
});

interface Snap {
  cluster: string;
  snapshot: { objects: { ref: { kind: string; name: string; namespace?: string }; live: unknown }[] };
}
