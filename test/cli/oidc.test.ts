/**
 * OIDC bearer tokens against an issuer the test runs (its discovery document and JWKS, keys made with
 * jose): a token's `groups` give the caller's role — by name or through the role map — and the approval
 * roles it may approve for; its `preferred_username` is who the log says acted. Expired tokens, another
 * audience, another signer, no role, and an issuer that does not answer are each refused with the reason;
 * with a viewer's token, every mutating route the OpenAPI document lists is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { HttpApi } from '../../src/server/http-api.js';
import { OidcVerifier } from '../../src/server/oidc.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { startController, stop } from '../engine/controller-harness.js';
import { eventually } from '../local/local-harness.js';
import { apiCaller } from './cli-helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server = createServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}/keys` }
        : req.url === '/keys'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (
    claims: Json,
    options: { audience?: string; expires?: string; key?: Parameters<SignJWT['sign']>[0] } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(options.audience ?? 'slipway')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.key ?? privateKey);
  return { issuer, sign, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('OIDC bearer tokens', { timeout: 120_000 }, () => {
  it('maps groups to roles and approval roles, names the actor, and refuses what it must', async () => {
    const idp = await startIssuer();
    await using h = await startRuntime(
      BASE_SPEC({
        approval: 'approval: { required: true, role: release-manager, approvals: 2, notByAuthor: true }',
      }),
    );
    const oidc = new OidcVerifier({
      issuer: idp.issuer,
      audience: 'slipway',
      roleMap: { sre: 'operator', 'release-manager': 'approver' },
    });
    const api = new HttpApi(h.controller, { oidc });
    const url = await api.listen(0);
    const call = apiCaller(url);
    try {
      const viewer = await idp.sign({ preferred_username: 'vera', groups: ['viewer'] });
      const operator = await idp.sign({ preferred_username: 'olga', groups: ['sre', 'release-manager'] });
      const manager = await idp.sign({ preferred_username: 'maria', groups: ['release-manager'] });
      const second = await idp.sign({ preferred_username: 'mark', groups: ['release-manager'] });
      const developer = await idp.sign({ preferred_username: 'dev', groups: ['sre'] });

      assert.equal((await call('GET', '/v1/releases')).status, 401);
      assert.equal((await call('GET', '/v1/releases', viewer)).status, 200);
      const refused = await call('POST', '/v1/releases', viewer, {
        request: { changes: [{ service: 'web', version: 'v1' }] },
      });
      assert.equal(refused.status, 403);
      assert.match(
        refused.body['error']['message'],
        /vera \(role viewer\) may not start a release: that needs operator/,
      );

      // With a viewer's token, every mutating route is refused before its body is read (a POST that only
      // computes — plan, render, lint — is a viewer's, and says so in the document).
      const doc = (await call('GET', '/v1/openapi.json')).body;
      const mutating = Object.entries(doc['paths'] as Json).flatMap(([path, ops]) =>
        Object.entries(ops as Json)
          .filter(([m, op]) => m !== 'get' && (op as Json)['x-slipway-role'] !== 'viewer')
          .map(([m]) => [m.toUpperCase(), path.replace('{id}', 'r-x')] as const),
      );
      const computing = Object.entries(doc['paths'] as Json)
        .filter(([, ops]) => ((ops as Json)['post'] as Json | undefined)?.['x-slipway-role'] === 'viewer')
        .map(([path]) => path);
      assert.deepEqual(computing.sort(), ['/v1/lint', '/v1/plan', '/v1/render']);
      assert.ok(mutating.length >= 5);
      for (const [method, path] of mutating)
        assert.equal((await call(method, path, viewer, {})).status, 403, `${method} ${path}`);

      // The operator (sre → operator) releases; the log names olga, whatever the body says.
      const created = await call('POST', '/v1/releases', operator, {
        request: { changes: [{ service: 'web', version: 'v1' }] },
        actor: 'ceo',
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body['createdBy'], 'olga');
      const id = created.body['id'] as string;
      await eventually(async () => (await h.controller.get(id)).state.status === 'waiting-approval', 60_000);
      // Production's approval.role is release-manager, two people, not the author: an operator without the
      // group may not; olga has it but started the release; maria may, once; then mark.
      assert.equal((await call('POST', `/v1/releases/${id}/approve`, developer, {})).status, 403);
      const self = await call('POST', `/v1/releases/${id}/approve`, operator, {});
      assert.equal(self.status, 403);
      assert.match(self.body['error']['message'], /olga started release .* and may not approve it/);
      assert.equal((await call('POST', `/v1/releases/${id}/approve`, manager, {})).status, 200);
      const twice = await call('POST', `/v1/releases/${id}/approve`, manager, {});
      assert.equal(twice.status, 409);
      assert.match(
        twice.body['error']['message'],
        /maria already approved production .* needs 2 different people/,
      );
      assert.equal((await call('POST', `/v1/releases/${id}/approve`, second, {})).status, 200);
      const done = await h.controller.wait(id);
      assert.equal(done.state.status, 'succeeded');
      assert.deepEqual([...(done.state.approvals.get('production') ?? [])].sort(), ['maria', 'mark']);

      const expired = await idp.sign({ preferred_username: 'olga', groups: ['sre'] }, { expires: '-1m' });
      const e = await call('GET', '/v1/releases', expired);
      assert.equal(e.status, 401);
      assert.equal(e.body['error']['code'], 'API_TOKEN_EXPIRED');
      const other = await call(
        'GET',
        '/v1/releases',
        await idp.sign({ groups: ['viewer'] }, { audience: 'grafana' }),
      );
      assert.equal(other.status, 401);
      assert.match(other.body['error']['message'], /aud claim is not this controller's/);
      const { privateKey: stranger } = await generateKeyPair('RS256');
      const forged = await call(
        'GET',
        '/v1/releases',
        await idp.sign({ groups: ['admin'] }, { key: stranger }),
      );
      assert.equal(forged.status, 401);
      assert.match(forged.body['error']['message'], /was not signed by .*'s keys/);
      const roleless = await call(
        'GET',
        '/v1/releases',
        await idp.sign({ preferred_username: 'ned', groups: ['interns'] }),
      );
      assert.equal(roleless.status, 403);
      assert.match(roleless.body['error']['message'], /ned has no Slipway role in the token's groups claim/);
    } finally {
      await api.close();
      await idp.close();
    }
  });

  it('an issuer that does not answer is an infrastructure error, not a pass', async () => {
    const dead = new OidcVerifier({ issuer: `http://127.0.0.1:${await freePort()}`, audience: 'slipway' });
    await assert.rejects(dead.authenticate('a.b.c'), /API_OIDC_UNREACHABLE|did not answer/);
  });

  it('`slipway serve --oidc-issuer --oidc-audience --oidc-role-map` (as docs/api.md shows it) verifies and maps', async () => {
    const idp = await startIssuer();
    const dir = mkdtempSync(join(tmpdir(), 'slipway-oidc-serve-'));
    writeFileSync(join(dir, 'slipway.yaml'), BASE_SPEC());
    const controller = await startController(dir, {}, [
      ...['--oidc-issuer', idp.issuer, '--oidc-audience', 'slipway', '--oidc-role-map', 'sre=operator'],
    ]);
    try {
      const call = apiCaller(controller.url);
      const sre = await idp.sign({ preferred_username: 'olga', groups: ['sre'] });
      const stranger = await idp.sign({ preferred_username: 'x', groups: ['sre'] }, { audience: 'other' });
      assert.equal((await call('GET', '/v1/releases')).status, 401);
      assert.equal((await call('GET', '/v1/releases', stranger)).status, 401);
      const started = await call('POST', '/v1/releases', sre, {
        request: { changes: [{ service: 'web', version: 'v1' }] },
      });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(started.body['createdBy'], 'olga', 'the token names who released');
    } finally {
      await stop(controller);
      await idp.close();
    }
  });
});
