/**
 * The diagnostics bundle: a release that rolls back writes one .tar.gz by itself (the spec's `diagnostics`
 * says where and which commands to run), with the release, its events, the spec, each touched service's
 * status and replica logs, and the commands' output on each touched cluster; `diagnose` writes another on
 * request. A secret the controller holds (a webhook URL with its token), planted where a command prints
 * it, never enters the archive.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import { BASE_SPEC, startRuntime } from './engine-harness.js';

const SECRET = 'tok-PLANTED-7f3a9c2e41';

function untar(archive: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-diag-x-'));
  execFileSync('tar', ['xzf', archive, '-C', dir]);
  return dir;
}

describe('diagnostics bundle', { timeout: 120_000 }, () => {
  it('is written when a release rolls back and on request, with everything but the secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-diag-'));
    const planted = join(dir, 'config-dump.txt');
    writeFileSync(planted, `webhook=http://127.0.0.1:9/hook?token=${SECRET}\n`);
    const spec = BASE_SPEC({
      notify: `notify:
  webhooks: [{ name: audit, urlEnv: T_DIAG_HOOK }]
diagnostics:
  dir: ${join(dir, 'bundles')}
  commands:
    - { name: config-dump, run: 'cat ${planted}' }
    - { name: kernel, run: 'uname -s' }`,
    })
      // Nothing reaches 1000 requests here: the canary's analysis is inconclusive and the release rolls back.
      .replace('minSample: 0', 'minSample: 1000');
    await using h = await startRuntime(spec, { T_DIAG_HOOK: `http://127.0.0.1:9/hook?token=${SECRET}` });
    const c = h.controller;
    assert.equal(
      (await c.wait((await c.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ops')).release.id))
        .state.status,
      'succeeded',
    );
    const failed = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ops')).release.id,
    );
    assert.equal(failed.state.status, 'rolled-back');
    const written = (await h.runtime.store.events(failed.release.id)).find(
      (e) => e.type === EventType.diagnostics,
    );
    const archive =
      written?.type === EventType.diagnostics && 'path' in written.payload ? written.payload.path : '';
    assert.ok(archive.startsWith(join(dir, 'bundles')), JSON.stringify(written?.payload));
    assert.equal(statSync(archive).mode & 0o777, 0o600);

    const root = join(untar(archive), failed.release.id);
    const files = readdirSync(root, { recursive: true }).map(String).sort();
    for (const expected of [
      'README.txt',
      'events.jsonl',
      'release.json',
      'spec.yaml',
      'clusters/stg/web/status.json',
    ])
      assert.ok(files.includes(expected), `${expected} in ${files.join(', ')}`);
    assert.ok(
      files.some((f) => /^clusters\/stg\/web\/logs\/canary\/.+\.log$/.test(f)),
      files.join(', '),
    );
    assert.match(
      readFileSync(join(root, 'README.txt'), 'utf8'),
      /\(rolling-back\)[^]*Failure: only 0 of the 1000 canary requests needed/,
    );
    assert.match(readFileSync(join(root, 'commands/stg/kernel.txt'), 'utf8'), /^\$ uname -s\nLinux/);
    assert.match(readFileSync(join(root, 'commands/stg/config-dump.txt'), 'utf8'), /webhook=\*\*\*$/m);
    const events = readFileSync(join(root, 'events.jsonl'), 'utf8').trim().split('\n');
    assert.ok(events.some((l) => JSON.parse(l).type === EventType.gateFailed));
    // Nowhere in the archive, whatever file: grep it whole.
    assert.doesNotMatch(
      execFileSync('sh', ['-c', `gunzip -c "${archive}"`]).toString('latin1'),
      new RegExp(SECRET),
    );

    const asked = await c.diagnose(failed.release.id, 'ops');
    assert.notEqual(asked.path, archive);
    assert.ok(readdirSync(join(dir, 'bundles')).length === 2);
  });
});
