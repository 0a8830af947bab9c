/**
 * plan, render and lint through the API: the controller answers from its own spec and history what the
 * CLI computes locally from the same files, and `--server` makes the CLI a client of those calls.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startController, stop } from '../engine/controller-harness.js';
import { BASE_SPEC } from '../engine/engine-harness.js';
import { ROOT } from '../local/local-harness.js';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/slipway.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const post = async (server: string, path: string, body: unknown) => {
  const res = await fetch(`${server}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('plan, render and lint through the API', { timeout: 300_000 }, () => {
  it('answer what the CLI computes from the same spec and history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-platform-api-'));
    const spec = join(dir, 'slipway.yaml');
    writeFileSync(spec, BASE_SPEC());
    const controller = await startController(dir);
    const server = controller.url;
    try {
      const first = cli('release', 'web@v1', '--server', server);
      assert.equal(first.code, 0, first.err);

      // The plan from the controller's history (v1 runs now) is the one the CLI makes from the state dir.
      const remote = cli('plan', 'web@v2', '--server', server, '--json');
      assert.equal(remote.code, 0, remote.err);
      const local = cli('plan', 'web@v2', '-f', spec, '--state-dir', join(dir, 'state'), '--json');
      assert.equal(local.code, 0, local.err);
      assert.deepEqual(JSON.parse(remote.out), JSON.parse(local.out));
      assert.ok(
        (JSON.parse(remote.out) as { touches: { from?: string }[] }).touches.every((t) => t.from === 'v1'),
        'planned from the version the controller runs',
      );
      const text = cli('plan', 'web@v2', '--server', server, '--env', 'staging');
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /staging/);
      assert.doesNotMatch(text.out, /production\/east/);
      const from = await post(server, '/v1/plan', {
        request: { changes: [{ service: 'web', version: 'v3' }] },
        from: 'v0',
      });
      assert.equal(from.status, 200);
      assert.ok((from.body['touches'] as { from: string }[]).every((t) => t.from === 'v0'));

      // render: the same objects, written by the same serialiser; --out too.
      const remoteRender = cli('render', '--server', server, '--format', 'json');
      assert.equal(remoteRender.code, 0, remoteRender.err);
      assert.equal(remoteRender.out, cli('render', '-f', spec, '--format', 'json').out);
      const out = join(dir, 'deploy');
      const written = cli('render', '--server', server, '--out', out, '--env', 'production');
      assert.equal(written.code, 0, written.err);
      assert.match(written.err, /object\(s\) in \d+ file\(s\) written/);

      // lint: the same findings and exit code (findings are placed in the controller's spec text).
      const remoteLint = cli('lint', '--server', server, '--format', 'json', '--fail-on', 'never');
      const localLint = cli('lint', '-f', spec, '--format', 'json', '--fail-on', 'never');
      assert.equal(remoteLint.code, 0, remoteLint.err);
      assert.deepEqual(JSON.parse(remoteLint.out), JSON.parse(localLint.out));
      assert.ok((JSON.parse(remoteLint.out) as { findings: unknown[] }).findings.length > 0);
      const only = cli('lint', '--server', server, '--only', 'image-tag', '--format', 'json');
      const rules = new Set(
        (JSON.parse(only.out) as { findings: { rule: string }[] }).findings.map((f) => f.rule),
      );
      assert.ok(
        [...rules].every((r) => r === 'image-tag'),
        [...rules].join(),
      );
      assert.equal(cli('lint', '--server', server).code, cli('lint', '-f', spec).code);

      // Bad requests are located 400s, and a user error keeps its code.
      const empty = await post(server, '/v1/plan', {});
      assert.equal(empty.status, 400);
      assert.match(empty.body['error']['message'], /^request: /);
      const unknown = await post(server, '/v1/plan', {
        request: { changes: [{ service: 'nope', version: 'v2' }] },
      });
      assert.equal(unknown.status, 400, JSON.stringify(unknown.body));
      const rule = await post(server, '/v1/lint', { only: ['image-tags'] });
      assert.equal(rule.status, 400);
      assert.equal(rule.body['error']['code'], 'LINT_UNKNOWN_RULE');
      assert.match(rule.body['error']['hint'], /image-tag/);
      const badRule = cli('lint', '--server', server, '--only', 'image-tags');
      assert.equal(badRule.code, 2);
      assert.match(badRule.err, /LINT_UNKNOWN_RULE/);
    } finally {
      await stop(controller);
    }
  });
});
