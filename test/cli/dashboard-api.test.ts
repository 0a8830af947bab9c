/**
 * What the dashboard reads from the API: a release's events as Server-Sent Events (every event once, in
 * order, resumable after Last-Event-ID, the running analysis's rounds as `sample`s, `end` when it is
 * over), who the caller is, and the page's own files — by exact name, with a strict CSP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { TokenStore } from '../../src/server/api-tokens.js';
import { DashboardAssets } from '../../src/server/dashboard-assets.js';
import { HttpApi } from '../../src/server/http-api.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { apiCaller, runCli } from './cli-helpers.js';

/** Reads a stream until `end` (or the connection closes); every message, in order. */
async function readStream(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const messages: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (m) => messages.push(m) });
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    if (messages.some((m) => m.event === 'end')) break;
  }
  return messages;
}

describe('dashboard API', { timeout: 120_000 }, () => {
  it('streams a release live: every event once, samples while it analyses, end; resumes after Last-Event-ID', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const api = new HttpApi(h.controller, { stream: { pollMs: 50 } });
    const url = await api.listen(0);
    try {
      await h.controller.wait(
        (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 't')).release.id,
      );
      const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 't')).release
        .id;
      const live = await readStream(`${url}/v1/releases/${id}/stream`);
      const events = live.filter((m) => m.event === 'release-event');
      const seqs = events.map((m) => Number(m.id));
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
        'every event once, in order, with its seq as id',
      );
      assert.ok(events.some((m) => JSON.parse(m.data).type === 'release-succeeded'));
      assert.equal(live.at(-1)!.event, 'end');
      const samples = live.filter((m) => m.event === 'sample').map((m) => JSON.parse(m.data));
      assert.ok(samples.length > 0, 'the running analysis sent its rounds');
      assert.match(samples[0].step, /analysis/);
      assert.equal(samples[0].evidence.running, true);
      assert.ok(samples.at(-1).evidence.trace.length > 1, 'with its trace so far');
      // Stored events are identical to what the events route answers.
      const stored = await h.controller.events(id);
      assert.deepEqual(
        events.map((m) => JSON.parse(m.data)),
        JSON.parse(JSON.stringify(stored)),
      );

      const resumed = await readStream(`${url}/v1/releases/${id}/stream`, { 'last-event-id': '5' });
      assert.equal(
        resumed.find((m) => m.event === 'release-event')?.id,
        '6',
        'resumes after the last event seen',
      );
      assert.equal((await fetch(`${url}/v1/releases/r-nope/stream`)).status, 404);
    } finally {
      await api.close();
    }
  });

  it('needs a viewer token for the stream and whoami once tokens exist; the page itself is open', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const tokens = new TokenStore(mkdtempSync(join(tmpdir(), 'slipway-dash-')));
    const api = new HttpApi(h.controller, { tokens });
    const url = await api.listen(0);
    const call = apiCaller(url);
    try {
      const open = await call('GET', '/v1/whoami');
      assert.deepEqual(open.body, { authentication: false, name: 'anonymous', role: 'admin', approves: [] });
      const viewer = tokens.create('vera', 'viewer').token;
      assert.equal((await call('GET', '/v1/whoami')).status, 401);
      const me = await call('GET', '/v1/whoami', viewer);
      assert.deepEqual(me.body, { authentication: true, name: 'vera', role: 'viewer', approves: [] });
      assert.equal((await fetch(`${url}/v1/releases/r-x/stream`)).status, 401);
      assert.equal((await fetch(`${url}/`)).status, 200, 'the sign-in page loads without a token');
    } finally {
      await api.close();
    }
  });

  it('serves the built page and its assets by exact name, with a CSP; says when it is not built', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const api = new HttpApi(h.controller);
    const url = await api.listen(0);
    const bare = new HttpApi(h.controller, { dashboard: new DashboardAssets('/nonexistent/web') });
    const bareUrl = await bare.listen(0);
    try {
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      const html = await page.text();
      const script = /src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
      assert.ok(script, 'the page loads its script from /assets');
      const js = await fetch(`${url}/assets/${script}`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.match(js.headers.get('cache-control') ?? '', /immutable/);
      for (const name of ['..%2F..%2Fpackage.json', '.env', 'nope.js'])
        assert.equal((await fetch(`${url}/assets/${name}`)).status, 404, name);
      const missing = await fetch(`${bareUrl}/`);
      assert.equal(missing.status, 503);
      const body = (await missing.json()) as { error: { code: string; hint: string } };
      assert.equal(body.error.code, 'DASHBOARD_NOT_BUILT');
      assert.equal(body.error.hint, 'npm run build');
    } finally {
      await api.close();
      await bare.close();
    }
  });

  it('slipway status --watch follows a release over the stream until it ends, then shows it', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const api = new HttpApi(h.controller, { stream: { pollMs: 50 } });
    const url = await api.listen(0);
    try {
      const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'kim')).release
        .id;
      const watched = await runCli('status', id, '--watch', '--server', url);
      assert.equal(watched.code, 0, watched.stderr);
      assert.match(watched.stdout, new RegExp(`release ${id} created by kim`));
      assert.match(watched.stdout, /release succeeded/);
      assert.ok(
        watched.stdout.indexOf('release succeeded') < watched.stdout.lastIndexOf('succeeded'),
        'the status comes after the live lines',
      );
      assert.equal((await h.controller.get(id)).state.status, 'succeeded');
    } finally {
      await api.close();
    }
  });
});
