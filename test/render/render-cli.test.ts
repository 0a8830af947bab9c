/** `slipway render` to a directory for Argo CD, as a stream, as JSON; `slipway cost`. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../cli/cli-helpers.js';

const MEDICAL = 'examples/medical-platform/slipway.yaml';

describe('slipway render', () => {
  it('--out writes one file per object, deletes stale files on the next render, refuses a foreign directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'slipway-render-')), 'deploy');
    const first = await runCli('render', '-f', MEDICAL, '--out', dir);
    assert.equal(first.code, 0, first.stderr);
    const file = join(dir, 'production/gke-production/medical-platform/deployment-api-gateway.yaml');
    const deployment = parse(readFileSync(file, 'utf8')) as { kind: string; spec: { replicas: number } };
    assert.deepEqual([deployment.kind, deployment.spec.replicas], ['Deployment', 3]);
    assert.match(first.stderr, /deploy: 119 object\(s\) in 121 file\(s\) written/);
    // Each cluster directory is a kustomization that the real kubectl builds into the same objects.
    const built = spawnSync('kubectl', ['kustomize', join(dir, 'production/gke-production')], {
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    const kinds = (built.stdout.match(/^kind: /gm) ?? []).length;
    const production = readdirSync(join(dir, 'production/gke-production'), { recursive: true }).filter(
      (f) => String(f).endsWith('.yaml') && !String(f).endsWith('kustomization.yaml'),
    );
    assert.equal(kinds, production.length);
    // The tree lints as it is (the kustomization files are not objects).
    const linted = await runCli('lint', join(dir, 'production'), '--format', 'json');
    assert.equal(
      (JSON.parse(linted.stdout) as { objects: number }).objects,
      production.length,
      linted.stderr,
    );
    assert.match(built.stdout, /^kind: Namespace\nmetadata:\n {2}labels:[\s\S]*name: medical-platform/m);

    // A file an earlier render wrote (it is in the index) and no longer renders is stale; files the user
    // put there (a README, a .git) and files render never wrote are never touched.
    const stale = 'production/gke-production/medical-platform/deployment-old.yaml';
    writeFileSync(join(dir, stale), 'kind: Deployment\n');
    appendFileSync(join(dir, '.slipway-render'), `${stale}\n`);
    const unowned = join(dir, 'production/gke-production/medical-platform/hand-written.yaml');
    writeFileSync(unowned, 'kind: ConfigMap\n');
    writeFileSync(join(dir, 'README.md'), '# deploy\n');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
    const stagingFiles = readdirSync(join(dir, 'staging'), { recursive: true }).length;
    const second = await runCli('render', '-f', MEDICAL, '--out', dir, '--env', 'production');
    assert.equal(second.code, 0);
    assert.equal(existsSync(join(dir, stale)), false);
    assert.match(second.stderr, /1 stale file\(s\) removed/);
    for (const kept of [unowned, join(dir, 'README.md'), join(dir, '.git/HEAD')])
      assert.ok(existsSync(kept), kept);
    // Rendering staging alone keeps production's files.
    const productionFiles = readdirSync(join(dir, 'production'), { recursive: true }).length;
    assert.equal((await runCli('render', '-f', MEDICAL, '--out', dir, '--env', 'staging')).code, 0);
    assert.equal(readdirSync(join(dir, 'production'), { recursive: true }).length, productionFiles);
    assert.equal(readdirSync(join(dir, 'staging'), { recursive: true }).length, stagingFiles);

    const foreign = mkdtempSync(join(tmpdir(), 'slipway-foreign-'));
    mkdirSync(join(foreign, 'keep'));
    const refused = await runCli('render', '-f', MEDICAL, '--out', foreign);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /error RENDER_OUT_NOT_OURS: .* is not empty and was not written by slipway render/,
    );
    assert.deepEqual(readdirSync(foreign), ['keep']);
    const forced = await runCli('render', '-f', MEDICAL, '--out', foreign, '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(existsSync(join(foreign, 'keep')) && existsSync(join(foreign, 'production')));
  });

  it('prints a JSON List, and rejects an unknown environment or format with a hint', async () => {
    const r = await runCli('render', '-f', 'examples/demo/slipway.yaml', '--format', 'json');
    const list = JSON.parse(r.stdout) as { kind: string; items: { kind: string }[] };
    assert.equal(list.kind, 'List');
    assert.ok(list.items.some((i) => i.kind === 'Deployment'));
    const env = await runCli('render', '-f', MEDICAL, '--env', 'prodution');
    assert.equal(env.code, 2);
    assert.match(env.stderr, /unknown environment "prodution"[\s\S]*did you mean "production"/);
    const format = await runCli('render', '-f', MEDICAL, '--format', 'xml');
    assert.match(format.stderr, /unknown format "xml"[\s\S]*yaml, json/);
  });

  it('notes what it does not render (Helm-delivered services)', async () => {
    const r = await runCli('render', '-f', 'examples/x0tta6bl4-update/slipway.yaml', '--env', 'production');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /note: vault: delivered by the Helm chart hashicorp\/vault/);
  });
});

describe('slipway cost', () => {
  it("prints the medical platform's monthly table from requests at the spec's prices", async () => {
    const r = await runCli('cost', '-f', MEDICAL, '--env', 'production');
    assert.equal(r.code, 0, r.stderr);
    // api-gateway: 3 × (0.5 core × 30 + 0.5 GiB × 4) = 51; ml-inference: 2 × (2 × 30 + 8 × 4 + 300) = 784.
    assert.match(r.stdout, /^\| api-gateway +\| 3 +\| 500m +\| 2000m +\| 512Mi +\| 2Gi +\| +\| \$51 +\|/m);
    assert.match(
      r.stdout,
      /^\| ml-inference +\| 2 +\| 2000m +\| 4000m +\| 8Gi +\| 16Gi +\| 1 +\| \$784 +\|/m,
    );
    assert.match(r.stdout, /^\| Total .*\| \$1,229 +\|/m);
    const cheaper = await runCli('cost', '-f', MEDICAL, '--env', 'production', '--gpu-price', '0', '--json');
    const [estimate] = JSON.parse(cheaper.stdout) as { total: { requests: number } }[];
    assert.equal(Math.round(estimate!.total.requests), 1229 - 600);
  });

  it('explains a spec without prices', async () => {
    const r = await runCli('cost', '-f', 'examples/demo/slipway.yaml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /COST_NO_PRICES[\s\S]*cpuCoreMonth/);
  });
});
