/** The API's request log (pino, JSON lines): one line per request with method, path and status; never a credential. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { TokenStore } from '../../src/server/api-tokens.js';
import { HttpApi, REDACTED_LOG_PATHS } from '../../src/server/http-api.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { apiCaller } from './cli-helpers.js';

describe('request log', { timeout: 60_000 }, () => {
  it('logs each request as JSON with its status, and no token', async () => {
    await using h = await startRuntime(BASE_SPEC());
    let text = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    const tokens = new TokenStore(mkdtempSync(join(tmpdir(), 'slipway-log-')));
    const token = tokens.create('vera', 'viewer').token;
    // The serve command's logger, with the headers serialised too: the redaction must still hold.
    const logger = pino(
      {
        level: 'info',
        redact: REDACTED_LOG_PATHS,
        serializers: {
          req: (r: { headers: object; method: string; url: string }) => ({
            method: r.method,
            url: r.url,
            headers: { ...r.headers },
          }),
        },
      },
      sink,
    );
    const api = new HttpApi(h.controller, { tokens, logger });
    const call = apiCaller(await api.listen(0));
    try {
      assert.equal((await call('GET', '/v1/releases', token)).status, 200);
      assert.equal((await call('POST', '/v1/releases', token, { request: { changes: [] } })).status, 403);
    } finally {
      await api.close();
    }
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const done = lines.filter((l) => l['res']);
    assert.deepEqual(
      done.map((l) => l['res'].statusCode),
      [200, 403],
    );
    assert.ok(lines.some((l) => l['req']?.url === '/v1/releases' && l['req']?.method === 'POST'));
    assert.ok(
      lines.some((l) => l['req']?.headers?.authorization === '[Redacted]'),
      'the header is there, redacted',
    );
    assert.ok(!text.includes(token), 'the token is nowhere in the log');
  });
});
