/**
 * A planted secret appears nowhere Slipway writes. The controller holds credentials (a webhook URL with a
 * password and a token in its path, a Telegram bot token); a release that fails to deliver its
 * notifications, rolls back and writes a diagnostics bundle whose command prints them — and then every byte
 * Slipway wrote is searched: its log, every file of its state directory (the database, replica logs, pid
 * files), and the bundle unpacked.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BASE_SPEC, startRuntime } from './engine-harness.js';

const PLANTED = ['planted-pass-7f3a', 'planted-path-91bc', 'planted-bot-5d2e'];

/** Every regular file under `dir`, with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true })
    .map((p) => join(dir, String(p)))
    .filter((p) => statSync(p).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

describe('planted secrets', { timeout: 120_000 }, () => {
  it('appear in no log line, no file of the state directory and no diagnostics bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-planted-'));
    const dump = join(dir, 'env-dump.sh');
    // What a careless diagnostics command does: print every credential it can find.
    writeFileSync(dump, `echo "hook=$T_HOOK tg=$T_TG"; cat ${join(dir, 'leak.txt')}\n`);
    writeFileSync(join(dir, 'leak.txt'), `slack=http://u:${PLANTED[0]}@127.0.0.1:9/services/${PLANTED[1]}\n`);
    const spec = BASE_SPEC({
      notify: `notify:
  webhooks: [{ name: audit, urlEnv: T_HOOK }]
  telegram: { botTokenEnv: T_TG, chatId: 7 }
diagnostics:
  dir: ${join(dir, 'bundles')}
  commands:
    - { name: env-dump, run: 'sh ${dump}' }`,
    }).replace('minSample: 0', 'minSample: 1000'); // no traffic: inconclusive, rolled back
    await using h = await startRuntime(spec, {
      T_HOOK: `http://hooker:${PLANTED[0]}@127.0.0.1:9/services/${PLANTED[1]}`,
      T_TG: `${PLANTED[2]}:AAE`,
      SLIPWAY_TELEGRAM_API: 'http://127.0.0.1:9',
    });
    const c = h.controller;
    await c.wait((await c.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ops')).release.id);
    const failed = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ops')).release.id,
    );
    assert.equal(failed.state.status, 'rolled-back');
    // Give the failed deliveries time to be retried and logged.
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok(
      h.lines.some((l) => /notify: audit unreachable/.test(l)),
      'the failed delivery was logged',
    );

    const bundles = readdirSync(join(dir, 'bundles')).filter((f) => f.endsWith('.tar.gz'));
    assert.equal(bundles.length, 1);
    const unpacked = mkdtempSync(join(tmpdir(), 'slipway-planted-x-'));
    execFileSync('tar', ['xzf', join(dir, 'bundles', bundles[0]!), '-C', unpacked]);
    const written = [
      { path: 'log', bytes: Buffer.from(h.lines.join('\n')) },
      ...filesUnder(h.stateDir),
      ...filesUnder(unpacked),
    ];
    assert.ok(
      written.some((f) => f.path.endsWith('.db') || f.path.includes('slipway')),
      'the database was searched',
    );
    assert.ok(
      written.some((f) => f.path.includes('env-dump')),
      'the command output was searched',
    );
    for (const secret of PLANTED)
      for (const f of written) assert.equal(f.bytes.includes(secret), false, `${secret} in ${f.path}`);
  });
});
