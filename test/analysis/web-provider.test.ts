/**
 * The web metric provider against a real HTTP server on loopback: the URL's placeholders are the analysis's
 * (service, version), the headers come from an env var, and a JSONPath picks the number — a healthy value
 * passes, a bad one fails, a missing field, a non-number or a 5xx is inconclusive, never a pass.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runAnalysis } from '../../src/analysis/analysis-loop.js';
import { templateProviders } from '../../src/providers/for-template.js';
import { selectJson } from '../../src/providers/web.js';

const KPI: Record<string, unknown> = {
  v2: { data: { errorRate: 0.001 } },
  v3: { data: { errorRate: '0.05' } },
  v4: { data: {} },
  v5: { data: { errorRate: 'high' } },
};

describe('web metric provider', { timeout: 60_000 }, () => {
  const seen: { url: string; auth: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    const version = url.searchParams.get('version') ?? '';
    if (version === 'v6') return void res.writeHead(503).end('down');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(KPI[version] ?? {}));
  });
  let base = '';
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env['KPI_HEADERS'] = 'Authorization: Bearer kpi-secret-token';
  });
  after(() => {
    server.close();
    delete process.env['KPI_HEADERS'];
  });

  const analyse = async (version: string) => {
    const definition = {
      provider: {
        web: { url: `${base}/kpi/{{service}}?version={{version}}`, headersEnv: 'KPI_HEADERS', timeout: '2s' },
      },
      interval: '50ms',
      metrics: [{ name: 'error-rate', query: '$.data.errorRate', max: 0.01 }],
    };
    const { provider, problem } = templateProviders(new Map()).forTemplate(definition);
    assert.equal(problem, undefined);
    return runAnalysis({
      template: 'kpi',
      definition,
      cluster: 'c',
      service: 'checkout',
      namespace: 'shop',
      version,
      durationMs: 300,
      traffic: { open: async () => ({ read: async () => ({ kind: 'problem', message: 'unused' }) }) },
      ...(provider ? { provider } : {}),
    });
  };

  it('passes a healthy value, fails a bad one, and fills the URL from the analysis', async () => {
    const healthy = await analyse('v2');
    assert.equal(healthy.verdict, 'pass', healthy.summary);
    assert.ok(
      seen.some((s) => s.url === '/kpi/checkout?version=v2'),
      JSON.stringify(seen.slice(0, 3)),
    );
    assert.ok(
      seen.every((s) => s.auth === 'Bearer kpi-secret-token'),
      'headers from the env var',
    );
    const trace = healthy['trace'] as { metrics?: Record<string, number> }[];
    assert.equal(trace.at(-1)?.metrics?.['error-rate'], 0.001, 'the value is charted');
    assert.doesNotMatch(JSON.stringify(healthy), /kpi-secret-token/, 'the header is nowhere in the evidence');
    const bad = await analyse('v3');
    assert.equal(bad.verdict, 'fail', bad.summary);
    assert.match(bad.summary, /error-rate 0\.05 > 0\.01/);
  });

  it('is inconclusive, never a pass, on no data, a non-number or an endpoint that fails', async () => {
    const missing = await analyse('v4');
    assert.equal(missing.verdict, 'inconclusive', missing.summary);
    const word = await analyse('v5');
    assert.equal(word.verdict, 'inconclusive');
    assert.match(word.summary, /selects "high", not a number/);
    const down = await analyse('v6');
    assert.equal(down.verdict, 'inconclusive');
    assert.match(down.summary, /answered 503/);
  });

  it('reads JSONPath without evaluating code', () => {
    assert.equal(selectJson({ a: [{ b: 3 }] }, '$.a[0].b'), 3);
    assert.throws(() => selectJson({ a: [{ b: 3 }] }, '$.a[?(@.b > 1)].b'));
  });
});
