/**
 * API tokens and roles: with no token the API stays open to this machine (as before); once a token exists
 * every call needs a live one, each route needs its role (viewer < operator < approver < admin), and the
 * token's name — not the body's `actor` — is who the release's log says acted. Missing, unknown, revoked
 * and expired tokens are 401; a role too low is 403, before any body is read.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apiToken } from '../../src/cli/client.js';
import { TokenStore } from '../../src/server/api-tokens.js';
import { HttpApi } from '../../src/server/http-api.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { eventually } from '../local/local-harness.js';
import { apiCaller, runCli } from './cli-helpers.js';

describe('API tokens and roles', { timeout: 120_000 }, () => {
  it('401 without a live token, 403 for a role too low, and the token name as the actor', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const store = new TokenStore(mkdtempSync(join(tmpdir(), 'slipway-tokens-')));
    const api = new HttpApi(h.controller, { tokens: store });
    const url = await api.listen(0);
    const call = apiCaller(url);
    const release = { request: { changes: [{ service: 'web', version: 'v1' }] }, actor: 'ceo' };
    try {
      // No tokens yet: open, as before (loopback only).
      assert.equal((await call('GET', '/v1/releases')).status, 200);

      const viewer = store.create('vera', 'viewer').token;
      const operator = store.create('ops-bot', 'operator').token;
      const expired = store.create('old', 'admin', 1000, Date.now() - 5000).token;
      const revoked = store.create('gone', 'admin').token;
      store.revoke('gone');
      assert.equal(statSync(store.file).mode & 0o777, 0o600);

      const none = await call('GET', '/v1/releases');
      assert.equal(none.status, 401);
      assert.equal(none.body['error']['code'], 'API_UNAUTHENTICATED');
      assert.equal((await call('GET', '/v1/releases', 'slw_not-a-token')).status, 401);
      const exp = await call('GET', '/v1/releases', expired);
      assert.equal(exp.status, 401);
      assert.match(exp.body['error']['message'], /the token old expired at/);
      const rev = await call('GET', '/v1/releases', revoked);
      assert.equal(rev.status, 401);
      assert.equal(rev.body['error']['code'], 'API_TOKEN_REVOKED');
      assert.equal((await call('GET', '/healthz')).status, 200, 'the health check stays open');

      assert.equal((await call('GET', '/v1/releases', viewer)).status, 200);
      const denied = await call('POST', '/v1/releases', viewer, release);
      assert.equal(denied.status, 403);
      assert.match(
        denied.body['error']['message'],
        /vera \(role viewer\) may not start a release: that needs operator/,
      );

      const started = await call('POST', '/v1/releases', operator, release);
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const id = started.body['id'] as string;
      assert.equal(started.body['createdBy'], 'ops-bot', 'the token, not the body, says who');
      const approve = await call('POST', `/v1/releases/${id}/approve`, operator, {});
      assert.equal(approve.status, 403);
      assert.match(approve.body['error']['message'], /needs approver/);
      await h.controller.wait(id);
    } finally {
      await api.close();
    }
  });

  it("enforces an environment's approval.role: only a token that approves for it (or an admin)", async () => {
    await using h = await startRuntime(
      BASE_SPEC({ approval: 'approval: { required: true, role: release-manager }' }),
    );
    const store = new TokenStore(mkdtempSync(join(tmpdir(), 'slipway-tokens-')));
    const api = new HttpApi(h.controller, { tokens: store });
    const url = await api.listen(0);
    const post = async (path: string, token?: string) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: '{}',
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    try {
      const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'carol'))
        .release.id;
      await eventually(
        async () => (await h.controller.get(id)).state.status === 'waiting-approval',
        60_000,
        'the approval gate',
      );
      // No tokens: nobody can say who the release manager is, so nobody approves.
      const open = await post(`/v1/releases/${id}/approve`);
      assert.equal(open.status, 403);
      assert.match(open.body['error']['message'], /production needs an approval by release-manager/);
      const other = store.create('bob', 'approver', undefined, Date.now(), ['architect']).token;
      const manager = store.create('anna', 'approver', undefined, Date.now(), ['release-manager']).token;
      const refused = await post(`/v1/releases/${id}/approve`, other);
      assert.equal(refused.status, 403);
      assert.match(
        refused.body['error']['message'],
        /bob may not approve for release-manager \(production\)/,
      );
      const approved = await post(`/v1/releases/${id}/approve`, manager);
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.deepEqual(approved.body['approvals'], { production: ['anna'] });
      assert.equal((await h.controller.wait(id)).state.status, 'succeeded');
    } finally {
      await api.close();
    }
  });

  it('slipway token create prints the token once and stores only its hash; list and revoke', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-token-cli-'));
    const created = await runCli(
      'token',
      'create',
      '--name',
      'ci',
      '--role',
      'operator',
      '--expires',
      '30d',
      '--state-dir',
      dir,
    );
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^slw_[A-Za-z0-9_-]{40,}$/);
    assert.match(created.stderr, /token ci \(operator, expires .*\) — shown once/);
    const store = new TokenStore(dir);
    assert.equal(store.authenticate(`Bearer ${token}`).name, 'ci');
    assert.ok(!JSON.stringify(store.list()).includes(token), 'only the hash is stored');
    const list = await runCli('token', 'list', '--state-dir', dir);
    assert.match(list.stdout, /^ci\s+operator\s+created .* expires /m);
    const bad = await runCli('token', 'create', '--name', 'x', '--role', 'root', '--state-dir', dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown role "root".*\n.*one of viewer, operator, approver, admin/);
    // --save: the CLI run from the controller's directory sends it by itself (mode 0600).
    const home = mkdtempSync(join(tmpdir(), 'slipway-token-home-'));
    const saved = await runCli(
      'token',
      'create',
      '--name',
      'me',
      '--role',
      'admin',
      '--save',
      '--state-dir',
      join(home, '.slipway'),
    );
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(statSync(join(home, '.slipway', 'cli-token')).mode & 0o777, 0o600);
    assert.equal(apiToken({}, home), saved.stdout.trim());
    assert.equal(apiToken({ SLIPWAY_TOKEN: 'slw_env' }, home), 'slw_env', 'the environment wins');
    assert.equal(apiToken({}, dir), undefined);

    const revoked = await runCli('token', 'revoke', 'ci', '--state-dir', dir);
    assert.equal(revoked.code, 0);
    assert.throws(() => store.authenticate(`Bearer ${token}`), /was revoked/);
  });
});
