/**
 * The simulator's fidelity, checked with the real kubectl: server-side apply of render's output, get,
 * rollout status (success, and a crash loop past its progress deadline), and an apply conflict between
 * field managers. What kubectl accepts here is what Slipway's Kubernetes target is tested against.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from 'js-yaml';
import { renderPlatform } from '../../src/render/render-platform.js';
import { requireSpec } from '../../src/spec/index.js';
import { KubeSim } from './kube-sim.js';
import { writeKubeconfig } from './kubeconfig.js';

interface DeploymentShape {
  spec: {
    replicas?: number;
    progressDeadlineSeconds?: number;
    template: { spec: { containers: { image: string }[] } };
  };
}

const dir = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-'));
const kubeconfig = join(dir, 'kubeconfig');
// Seconds in the spec are milliseconds here, so a 10 s progress deadline passes in 10 ms... of crash loop.
const sim = new KubeSim({
  readyDelayMs: 150,
  msPerSpecSecond: 20,
  readyDelayFor: (image) => (image.endsWith(':slow') ? 2_000 : undefined),
});

/** kubectl, asynchronously: the simulator answers in this same process. */
function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--context', 'sim', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const { spec } = requireSpec('examples/x0tta6bl4-update/slipway.yaml');
const staging = renderPlatform(spec, { environments: ['staging'] }).objects.map((o) => o.object);
const manifest = join(dir, 'staging.yaml');
writeFileSync(manifest, staging.map((o) => `---\n${dump(o)}`).join(''));

describe('the Kubernetes API simulator under the real kubectl', { timeout: 120_000 }, () => {
  before(async () => writeKubeconfig(kubeconfig, [{ context: 'sim', url: await sim.start() }]));
  after(() => sim.close());

  it('takes render output by kubectl apply --server-side and serves it back to kubectl get', async () => {
    // --validate=false: the simulator serves no OpenAPI document for client-side validation.
    const applied = await kubectl('apply', '--server-side', '--validate=false', '-f', manifest);
    assert.equal(applied.code, 0, applied.err);
    assert.equal(applied.out.trim().split('\n').length, staging.length);
    assert.match(applied.out, /deployment\.apps\/api-gateway serverside-applied/);
    const got = await kubectl('get', 'deploy', '-n', 'staging', '-o', 'json', '--show-managed-fields');
    assert.equal(got.code, 0, got.err);
    const names = (
      JSON.parse(got.out) as { items: { metadata: { name: string; managedFields: { manager: string }[] } }[] }
    ).items;
    const rendered = staging
      .filter((o) => o.kind === 'Deployment' && o.metadata.namespace === 'staging')
      .map((o) => o.metadata.name);
    assert.deepEqual(names.map((d) => d.metadata.name).sort(), rendered.sort());
    assert.ok(names.every((d) => d.metadata.managedFields.some((m) => m.manager === 'kubectl')));
  });

  it('rolls out until kubectl rollout status says so', async () => {
    const r = await kubectl('rollout', 'status', 'deployment/api-gateway', '-n', 'staging', '--timeout=30s');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /successfully rolled out/);
    const pods = await kubectl(
      'get',
      'pods',
      '-n',
      'staging',
      '-l',
      'app.kubernetes.io/name=api-gateway',
      '-o',
      'name',
    );
    assert.equal(pods.out.trim().split('\n').length, 1);
  });

  it('reports a crash-looping rollout past its deadline through kubectl rollout status', async () => {
    const deployment = structuredClone(
      staging.find((o) => o.kind === 'Deployment' && o.metadata.name === 'cultural-agents')!,
    ) as unknown as DeploymentShape;
    deployment.spec.template.spec.containers[0]!.image =
      'registry.x0tta6bl4.com/x0tta6bl4/cultural-agents:v2-crashloop';
    deployment.spec.progressDeadlineSeconds = 30;
    const file = join(dir, 'crash.yaml');
    writeFileSync(file, dump(deployment));
    assert.equal((await kubectl('apply', '--server-side', '--validate=false', '-f', file)).code, 0);
    const r = await kubectl(
      'rollout',
      'status',
      'deployment/cultural-agents',
      '-n',
      'staging',
      '--timeout=30s',
    );
    assert.notEqual(r.code, 0);
    assert.match(r.err, /exceeded its progress deadline/);
    const pods = JSON.parse((await kubectl('get', 'pods', '-n', 'staging', '-o', 'json')).out) as {
      items: { status: { containerStatuses: { state: { waiting?: { reason: string } } }[] } }[];
    };
    assert.ok(
      pods.items.some((p) => p.status.containerStatuses[0]?.state.waiting?.reason === 'CrashLoopBackOff'),
    );
  });

  it('refuses an apply that changes a field another manager owns, and takes it with --force-conflicts', async () => {
    const deployment = structuredClone(
      staging.find((o) => o.kind === 'Deployment' && o.metadata.name === 'business-agents')!,
    ) as unknown as DeploymentShape;
    deployment.spec.replicas = 5;
    const file = join(dir, 'scale.yaml');
    writeFileSync(file, dump(deployment));
    const refused = await kubectl(
      'apply',
      '--server-side',
      '--validate=false',
      '--field-manager',
      'someone-else',
      '-f',
      file,
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, /conflict with "kubectl"/);
    assert.match(refused.err, /\.spec\.replicas/);
    const forced = await kubectl(
      'apply',
      '--server-side',
      '--validate=false',
      '--field-manager',
      'someone-else',
      '--force-conflicts',
      '-f',
      file,
    );
    assert.equal(forced.code, 0, forced.err);
    const got = JSON.parse(
      (await kubectl('get', 'deployment', 'business-agents', '-n', 'staging', '-o', 'json')).out,
    ) as { spec: { replicas: number } };
    assert.equal(got.spec.replicas, 5);
  });

  it('keeps kubectl rollout status going through dropped watches and slow answers', async () => {
    const deployment = structuredClone(
      staging.find((o) => o.kind === 'Deployment' && o.metadata.name === 'api-gateway')!,
    ) as unknown as DeploymentShape;
    deployment.spec.template.spec.containers[0]!.image = 'registry.x0tta6bl4.com/x0tta6bl4/api-gateway:slow';
    const file = join(dir, 'slow.yaml');
    writeFileSync(file, dump(deployment));
    assert.equal((await kubectl('apply', '--server-side', '--validate=false', '-f', file)).code, 0);
    sim.dropWatchesAfterMs = 300;
    sim.latencyMs = 50;
    const watchesBefore = sim.requests.filter((r) => r.path.endsWith('/deployments')).length;
    try {
      const r = await kubectl(
        'rollout',
        'status',
        'deployment/api-gateway',
        '-n',
        'staging',
        '--timeout=60s',
      );
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /successfully rolled out/);
      const watches = sim.requests.filter((x) => x.path.endsWith('/deployments')).length - watchesBefore;
      assert.ok(watches >= 3, `kubectl watched again after each drop (${watches} list/watch requests)`);
    } finally {
      sim.dropWatchesAfterMs = undefined;
      sim.latencyMs = 0;
    }
  });
});
