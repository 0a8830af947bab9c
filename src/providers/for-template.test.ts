import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { parseHeaders, templateProviders } from './for-template.js';

describe('Prometheus headersEnv', () => {
  it('parses "Name: value" lines, and refuses what is not a header', () => {
    assert.deepEqual(parseHeaders('Authorization: Bearer t0k3n\nX-Scope-OrgID: team-a\n'), {
      Authorization: 'Bearer t0k3n',
      'X-Scope-OrgID': 'team-a',
    });
    assert.equal(parseHeaders('just a token'), undefined);
    assert.equal(parseHeaders(undefined), undefined);
  });

  it('sends the headers with every query', async () => {
    let seen: string | undefined;
    const server = createServer((req, res) => {
      seen = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1'] }] },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env['SLIPWAY_TEST_PROM_HEADERS'] = 'Authorization: Bearer t0k3n';
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const { provider, problem } = templateProviders(new Map()).forTemplate({
        provider: { prometheus: { url, headersEnv: 'SLIPWAY_TEST_PROM_HEADERS' } },
      });
      assert.equal(problem, undefined);
      assert.deepEqual(await provider!.query('up'), { kind: 'value', value: 1 });
      assert.equal(seen, 'Bearer t0k3n');
      delete process.env['SLIPWAY_TEST_PROM_HEADERS'];
      const missing = templateProviders(new Map()).forTemplate({
        provider: { prometheus: { url, headersEnv: 'SLIPWAY_TEST_PROM_HEADERS' } },
      });
      assert.match(missing.problem ?? '', /SLIPWAY_TEST_PROM_HEADERS does not hold headers/);
    } finally {
      delete process.env['SLIPWAY_TEST_PROM_HEADERS'];
      server.close();
    }
  });
});
