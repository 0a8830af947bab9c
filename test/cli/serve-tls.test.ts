/**
 * Beyond loopback: `serve --host` refuses to listen without TLS and without tokens; with both it serves
 * HTTPS only, takes any Host it is reached by (a bearer token is never sent by a browser on its own),
 * and the CLI reaches it with the certificate trusted through NODE_EXTRA_CA_CERTS.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TokenStore } from '../../src/server/api-tokens.js';
import { eventually } from '../local/local-harness.js';

const SPEC = ['-f', 'examples/demo/slipway.yaml'];
const serveSync = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/slipway.js', 'serve', ...SPEC, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function selfSigned(dir: string) {
  const key = join(dir, 'tls.key');
  const cert = join(dir, 'tls.crt');
  const r = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  assert.equal(r.status, 0, String(r.stderr));
  return { key, cert };
}

function httpsGet(url: string, ca: Buffer, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve beyond loopback', { timeout: 120_000 }, () => {
  it('refuses without TLS, then without tokens; with both serves HTTPS to a token holder only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-tls-'));
    const state = join(dir, 'state');
    const port = String(await freePort());
    const plain = serveSync('--host', '0.0.0.0', '--port', port, '--state-dir', state);
    assert.equal(plain.status, 2, plain.stderr);
    assert.match(plain.stderr, /SERVE_NEEDS_TLS: listening on 0\.0\.0\.0 needs TLS/);
    const { key, cert } = selfSigned(dir);
    const half = serveSync('--host', '0.0.0.0', '--port', port, '--state-dir', state, '--tls-cert', cert);
    assert.equal(half.status, 2);
    assert.match(half.stderr, /SERVE_TLS_INCOMPLETE/);
    const tlsArgs = [
      '--host',
      '0.0.0.0',
      '--port',
      port,
      '--state-dir',
      state,
      '--tls-cert',
      cert,
      '--tls-key',
      key,
    ];
    const noAuth = serveSync(...tlsArgs);
    assert.equal(noAuth.status, 2);
    assert.match(noAuth.stderr, /SERVE_NEEDS_AUTH/);
    assert.doesNotMatch(plain.stderr + half.stderr + noAuth.stderr, /\n\s+at /);

    const token = new TokenStore(state).create('root', 'admin').token;
    const child = spawn(
      process.execPath,
      ['bin/slipway.js', 'serve', ...SPEC, ...tlsArgs, '--log-level', 'silent'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    try {
      await eventually(async () => out.includes('dashboard:'), 30_000);
      assert.match(out, new RegExp(`on https://0\\.0\\.0\\.0:${port}`));
      const ca = readFileSync(cert);
      const base = `https://127.0.0.1:${port}`;
      assert.equal((await httpsGet(`${base}/v1/releases`, ca)).status, 401, 'no token, no answer');
      const me = await httpsGet(`${base}/v1/whoami`, ca, token);
      assert.equal(me.status, 200, me.body);
      assert.equal(JSON.parse(me.body).name, 'root');
      const viaName = await httpsGet(`https://localhost:${port}/v1/whoami`, ca, token);
      assert.equal(viaName.status, 200, 'any name the server is reached by');
      // Plain HTTP gets no API.
      const clear = await fetch(`http://127.0.0.1:${port}/v1/whoami`).then(
        (r) => r.status,
        () => 'refused',
      );
      assert.notEqual(clear, 200);
      // The CLI, trusting the certificate the way Node does.
      const cli = spawnSync(process.execPath, ['bin/slipway.js', 'history', '--server', base], {
        encoding: 'utf8',
        env: { ...process.env, NODE_EXTRA_CA_CERTS: cert, SLIPWAY_TOKEN: token },
        timeout: 30_000,
      });
      assert.equal(cli.status, 0, cli.stderr);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
