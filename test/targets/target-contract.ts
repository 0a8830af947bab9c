/**
 * The Target port's contract: what every adapter (the local target, the Kubernetes target, the in-memory
 * fake the engine's tests may use) must do alike. Each adapter runs it with versions that behave as named:
 * `v1` and `v2` healthy, `crash` crash-looping at start, `slow` ready only after a few seconds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../src/errors/index.js';
import type { ServiceRef, Target } from '../../src/targets/target.js';

export interface ContractSubject {
  target: Target;
  ref: ServiceRef;
  [Symbol.asyncDispose](): Promise<void>;
}

const stable = async (target: Target, ref: ServiceRef) =>
  (await target.observe(ref)).groups.find((g) => g.group === 'stable');

const request = (version: string, extra: Partial<{ replicas: number; deadlineMs: number }> = {}) => ({
  group: 'stable' as const,
  version,
  replicas: 2,
  maxSurge: 1,
  maxUnavailable: 0,
  deadlineMs: 60_000,
  ...extra,
});

const isReleaseFailure = (e: unknown) => e instanceof SlipwayError && e.category === 'release';

export function runTargetContract(options: { name: string; create: () => Promise<ContractSubject> }): void {
  describe(`Target contract: ${options.name}`, { timeout: 240_000 }, () => {
    it('passes preflight for a service it can run', async () => {
      await using s = await options.create();
      const result = await s.target.preflight([{ service: s.ref.service, version: 'v1' }]);
      assert.equal(result.ok, true, result.findings.join('; '));
    });

    it('converges on ensure, and ensuring again changes nothing', async () => {
      await using s = await options.create();
      const first = await s.target.ensureReplicas(s.ref, request('v1'));
      assert.deepEqual(first.versions, ['v1']);
      assert.equal(first.ready, 2);
      const again = await s.target.ensureReplicas(s.ref, request('v1'));
      assert.deepEqual([again.versions, again.ready], [['v1'], 2]);
      const observed = await stable(s.target, s.ref);
      assert.deepEqual([observed?.versions, observed?.desired], [['v1'], 2]);
    });

    it('replaces the version in place and answers a check through send', async () => {
      await using s = await options.create();
      await s.target.ensureReplicas(s.ref, request('v1'));
      await s.target.ensureReplicas(s.ref, request('v2'));
      assert.deepEqual((await stable(s.target, s.ref))?.versions, ['v2']);
      const answer = await s.target.send(s.ref, {
        method: 'GET',
        path: '/health',
        headers: {},
        timeoutMs: 10_000,
      });
      assert.equal(answer.status, 200);
    });

    it('scales an empty group to zero without complaint, leaving stable as it is', async () => {
      await using s = await options.create();
      await s.target.scaleToZero(s.ref, 'canary');
      await s.target.scaleToZero(s.ref, 'preview');
      await s.target.ensureReplicas(s.ref, request('v1'));
      await s.target.scaleToZero(s.ref, 'canary');
      assert.deepEqual((await stable(s.target, s.ref))?.versions, ['v1']);
    });

    it('fails a crash-looping version as a release failure', async () => {
      await using s = await options.create();
      await assert.rejects(s.target.ensureReplicas(s.ref, request('crash')), isReleaseFailure);
    });

    it('fails a rollout past its deadline as a release failure', async () => {
      await using s = await options.create();
      await assert.rejects(
        s.target.ensureReplicas(s.ref, request('slow', { deadlineMs: 300 })),
        isReleaseFailure,
      );
    });

    it('restores a snapshot taken before a change', async () => {
      await using s = await options.create();
      await s.target.ensureReplicas(s.ref, request('v1'));
      const snapshot = await s.target.snapshot(s.ref, 'v2');
      assert.ok(JSON.parse(JSON.stringify(snapshot)), 'a snapshot is JSON: it is kept in the log');
      await s.target.ensureReplicas(s.ref, request('v2', { replicas: 3 }));
      await s.target.restore(s.ref, snapshot, request('v1'));
      const back = await stable(s.target, s.ref);
      assert.deepEqual([back?.versions, back?.desired], [['v1'], 2]);
    });

    it('keeps all traffic on stable, and splits it only where it can', async () => {
      await using s = await options.create();
      // Five replicas: a 20 % canary is one whole pod where the split is by replica ratio.
      await s.target.ensureReplicas(s.ref, request('v1', { replicas: 5 }));
      await s.target.ensureWeights(s.ref, { stable: 100 });
      assert.deepEqual((await s.target.observe(s.ref)).weights, { stable: 100 });
      if (s.target.capabilities.weights) {
        await s.target.ensureReplicas(s.ref, { ...request('v2'), group: 'canary', replicas: 1 });
        await s.target.ensureWeights(s.ref, { stable: 80, canary: 20 });
        assert.deepEqual((await s.target.observe(s.ref)).weights, { stable: 80, canary: 20 });
      } else {
        await assert.rejects(
          s.target.ensureWeights(s.ref, { stable: 80, canary: 20 }),
          (e: unknown) => e instanceof SlipwayError && /not supported yet/.test(e.message),
        );
      }
    });
  });
}
