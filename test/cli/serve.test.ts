/** The CLI against a real controller: serve, release, status, history, rollback --release; a corrupt database. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SerializedRelease } from '../../src/server/views.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { serveArgs, startController, stop } from '../engine/controller-harness.js';
import { BASE_SPEC } from '../engine/engine-harness.js';
import { ROOT } from '../local/local-harness.js';

const cli = (server: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/slipway.js', ...args, '--server', server], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('slipway serve and the release commands', { timeout: 300_000 }, () => {
  it('releases, shows status and history, and undoes a release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-serve-'));
    writeFileSync(join(dir, 'slipway.yaml'), BASE_SPEC());
    const controller = await startController(dir);
    const server = controller.url;
    try {
      const committed = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const first = cli(server, 'release', 'web@v1', '--committed-at', committed);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /✓ production\/west\/web\/03-record record web@v1 on west/);
      assert.match(first.out, /release succeeded$/m);
      const second = cli(server, 'release', 'web@v2', '--json');
      assert.equal(second.code, 0, second.err);
      const v2 = JSON.parse(second.out) as SerializedRelease;
      assert.equal(v2.status, 'succeeded');
      assert.ok(
        v2.steps.every((s) => s.completedAt),
        'every step completed',
      );

      const status = cli(server, 'status');
      assert.equal(status.code, 0);
      assert.match(status.out, new RegExp(`Release ${v2.id} \\(release\\) — succeeded`));
      assert.match(
        status.out,
        /✓ staging\/stg\/web\/03-analysis +analysis quick of v2 vs v1 for 2s \(fixed window: the miss rate is not bounded\) — /,
      );
      const history = JSON.parse(cli(server, 'history', '--json').out) as { id: string; status: string }[];
      assert.deepEqual(
        history.map((h) => h.status),
        ['succeeded', 'succeeded'],
      );

      const undo = cli(server, 'rollback', '--release', v2.id);
      assert.equal(undo.code, 0, undo.err);
      const services = (await (await fetch(`${server}/v1/services`)).json()) as {
        cluster: string;
        groups: { stable?: { version: string } };
      }[];
      assert.deepEqual(
        services.map((s) => s.groups.stable?.version),
        ['v1', 'v1', 'v1'],
      );

      // DORA from this history: two deployments per environment, the second undone by a person.
      const dora = JSON.parse(cli(server, 'dora', '--json').out) as {
        byEnvironment: Record<string, number | string | null>[];
      };
      const production = dora.byEnvironment.find((e) => e['environment'] === 'production')!;
      assert.equal(production['deployments'], 2);
      assert.equal(production['failures'], 1);
      assert.equal(production['changeFailureRate'], 0.5);
      assert.equal(production['unrestored'], 0);
      assert.ok((production['timeToRestoreHours'] as number) < 0.1, JSON.stringify(production));
      const lead = production['leadTimeHours'] as number;
      assert.ok(lead >= 2 && lead < 2.1, `lead time ${lead} h from --committed-at`);
      const table = cli(server, 'dora');
      assert.equal(table.code, 0, table.err);
      assert.match(
        table.out,
        /^production +2 deploys, \d+(\.\d+)? days\/week \(\w+\) +2\.0h \(high\) +50\.0% \(1\/2\) \(low\)/m,
      );
      // A release's diagnostics bundle, asked for from the CLI (docs/releases.md shows the command).
      const bundle = cli(server, 'diagnose', v2.id);
      assert.equal(bundle.code, 0, bundle.err);
      const archive = new RegExp(`^diagnostics of ${v2.id}: (.+\\.tar\\.gz)$`, 'm').exec(bundle.out)?.[1];
      assert.ok(archive, bundle.out);
      const listing = spawnSync('tar', ['tzf', archive], { encoding: 'utf8' }).stdout;
      for (const file of ['README.txt', 'events.jsonl', 'release.json', 'spec.yaml'])
        assert.ok(listing.includes(`${v2.id}/${file}`), listing);
      const window = cli(server, 'dora', '--since', 'forever');
      assert.equal(window.code, 2);
      assert.match(window.err, /error API_BAD_REQUEST: since: "forever" is not a window/);

      // The audit log out and checked: intact as exported; a changed or a missing event is named.
      const exported = join(dir, 'audit.jsonl');
      const exporting = cli(server, 'history', '--export', exported);
      assert.equal(exporting.code, 0, exporting.err);
      assert.match(exporting.out, /^3 release\(s\), \d+ event\(s\) written to .*audit\.jsonl/);
      assert.equal(cli(server, 'history', '--export', exported).code, 2, 'an export never overwrites a file');
      const online = cli(server, 'verify');
      assert.equal(online.code, 0, online.err);
      assert.match(online.out, /3 release\(s\), \d+ event\(s\): every chain is intact/);
      assert.match(cli(server, 'verify', '--file', exported).out, /every chain is intact/);
      const lines = readFileSync(exported, 'utf8').trim().split('\n');
      const at = lines.findIndex((l) => l.includes('"seq":5,'));
      const forged = join(dir, 'forged.jsonl');
      writeFileSync(
        forged,
        lines.map((l, i) => (i === at ? l.replace('"actor":"engine"', '"actor":"mallory"') : l)).join('\n'),
      );
      const changed = cli(server, 'verify', '--file', forged);
      assert.equal(changed.code, 1);
      assert.match(changed.out, /broken at event 5 \([\w-]+, .*\): its content does not match its hash/);
      const gap = join(dir, 'gap.jsonl');
      writeFileSync(gap, lines.filter((_, i) => i !== at).join('\n'));
      assert.match(cli(server, 'verify', '--file', gap).out, /broken at event 6 .*: events 5–5 are missing/);

      const bad = cli(server, 'approve', 'r-nope');
      assert.equal(bad.code, 2);
      assert.match(bad.err, /error RELEASE_NOT_FOUND: no release r-nope/);
      const busy = spawnSync(process.execPath, serveArgs(dir, await freePort()), {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(busy.status, 3);
      assert.match(busy.stderr, /error STATE_DIR_LOCKED: another controller \(pid \d+\) is using/);
    } finally {
      await stop(controller);
    }
    const noController = cli(server, 'history');
    assert.equal(noController.code, 3);
    assert.match(noController.err, /error CLI_NO_CONTROLLER: no Slipway controller answers at/);
  });

  it('refuses a corrupt database with a clear error and exit code 3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-corrupt-'));
    writeFileSync(join(dir, 'slipway.yaml'), BASE_SPEC());
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'state.db'), 'not a database');
    const r = spawnSync(process.execPath, serveArgs(dir, 0), {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 3);
    assert.match(
      r.stderr,
      /error STORE_CORRUPT: .*state\.db is not a usable Slipway database: it is not an SQLite file/,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
