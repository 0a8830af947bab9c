/**
 * Analysis template arguments (Argo's analysis args) in a release on the local target: a step's `args` and
 * a token from the controller's environment reach the web provider's URL as {{args.NAME}}; the verdict
 * follows what the endpoint answers for them; the token is in no event the release records; an unset
 * env is an inconclusive analysis that says which variable, and the release rolls back.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BASE_SPEC, startRuntime } from './engine-harness.js';

const TOKEN = 'kpi-token-7f3a9c';

describe('analysis template arguments', { timeout: 180_000 }, () => {
  const seen: URLSearchParams[] = [];
  // Route errors by route, for callers with the right token only (anyone else sees a failing number).
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    seen.push(q);
    const errors = q.get('auth') !== TOKEN ? 0.9 : q.get('route') === '/checkout' ? 0.001 : 0.2;
    if (q.get('route') === '/down') return void res.writeHead(503).end('down');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors }));
  });
  let base = '';
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const spec = (route: string) =>
    BASE_SPEC({
      steps: `[{ weight: 50 }, { analysis: kpi, args: { route: "${route}" }, for: 1s }]`,
      analysis: `
  kpi:
    provider: { web: { url: "${base}/kpi?route={{args.route}}&auth={{args.token}}&version={{version}}", timeout: 2s } }
    interval: 100ms
    args:
      route: {}
      token: { env: KPI_ARG_TOKEN }
    metrics: [{ name: route-errors, query: "$.errors", max: 0.01 }]`,
    }).replace(
      /environments:[\s\S]*?services:/,
      'environments:\n  staging:\n    clusters: { stg: { local: {} } }\nservices:',
    );

  async function release(route: string, env: Record<string, string>) {
    await using h = await startRuntime(spec(route), env);
    const first = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'kim')).release.id,
    );
    assert.equal(first.state.status, 'succeeded', first.state.failure?.reason);
    const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'kim')).release
      .id;
    const view = await h.controller.wait(id);
    return { view, events: JSON.stringify(await h.runtime.store.events(id)) };
  }

  it("fills the step's argument and the env token into the URL, and records no token", async () => {
    seen.length = 0;
    const { view, events } = await release('/checkout', { KPI_ARG_TOKEN: TOKEN });
    assert.equal(view.state.status, 'succeeded', view.state.failure?.reason);
    assert.ok(
      view.plan.steps.some((s) => s.title.startsWith('analysis kpi (route=/checkout) of v2')),
      'the plan shows the arguments',
    );
    assert.ok(seen.length > 0, 'the endpoint was asked');
    assert.ok(
      seen.every(
        (q) => q.get('route') === '/checkout' && q.get('auth') === TOKEN && q.get('version') === 'v2',
      ),
    );
    assert.doesNotMatch(events, new RegExp(TOKEN), 'the token is in an event');
  });

  it('fails the analysis on what the endpoint answers for the given argument', async () => {
    const { view, events } = await release('/search', { KPI_ARG_TOKEN: TOKEN });
    assert.equal(view.state.status, 'rolled-back');
    assert.match(view.state.failure?.reason ?? '', /route-errors 0\.2 > 0\.01/);
    assert.doesNotMatch(events, new RegExp(TOKEN));
  });

  it("masks the token where the provider's answer names the URL", async () => {
    const { view, events } = await release('/down', { KPI_ARG_TOKEN: TOKEN });
    assert.equal(view.state.status, 'rolled-back');
    assert.match(view.state.failure?.reason ?? '', /auth=\*\*\*&version=v2 answered 503/);
    assert.doesNotMatch(events, new RegExp(TOKEN), 'the token is in an event');
  });

  it('is inconclusive, naming the variable, when the env of an argument is not set', async () => {
    delete process.env['KPI_ARG_TOKEN'];
    seen.length = 0;
    const { view } = await release('/checkout', {});
    assert.equal(view.state.status, 'rolled-back');
    assert.match(
      view.state.failure?.reason ?? '',
      /argument token: the environment variable KPI_ARG_TOKEN is not set/,
    );
    assert.equal(seen.length, 0, 'nothing was asked without the token');
  });
});
