/** `slipway plan --kubeconfig` asks the clusters what they run instead of assuming the spec's version. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../cli/cli-helpers.js';
import { startClusters } from './kube-harness.js';

describe('plan against clusters', { timeout: 60_000 }, () => {
  it('plans a first deployment where nothing runs, and assumes the spec version without a kubeconfig', async () => {
    await using clusters = await startClusters(['kube-staging', 'kube-east', 'kube-west']);
    const spec = 'examples/demo-kubernetes/slipway.yaml';
    const state = ['--state-dir', `${clusters.dir}/none`];
    const live = await runCli('plan', 'web@v2', '-f', spec, '--kubeconfig', clusters.kubeconfig, ...state);
    assert.equal(live.code, 0, live.stderr);
    assert.match(live.stdout, /staging · web \(none\) → v2 \[/);
    const assumed = await runCli('plan', 'web@v2', '-f', spec, ...state);
    assert.match(assumed.stdout, /staging · web v1 → v2 \[rolling/);
  });
});
