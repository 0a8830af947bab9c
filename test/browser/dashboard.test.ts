/**
 * The web dashboard in a real browser (Debian's chromium driven by playwright-core): a viewer signs in with
 * a token and watches a canary move live — timeline, traffic, the analysis's charts — but cannot approve;
 * an approver approves the production gate and the release ends succeeded; an operator aborts the next
 * release from the page and sees it rolled back. Each page's screenshot is saved under
 * test-output/dashboard/ to be looked at when the page changes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium, type Page } from 'playwright-core';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import { TokenStore } from '../../src/server/api-tokens.js';
import { HttpApi } from '../../src/server/http-api.js';
import { apiCaller } from '../cli/cli-helpers.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { eventually } from '../local/local-harness.js';

const CHROMIUM = process.env['SLIPWAY_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '../../test-output/dashboard');

const SPEC = BASE_SPEC({
  approval: 'approval: { required: true, role: release-manager }',
  steps: '[{ weight: 50 }, { analysis: watched, for: 3s }]',
  analysis: `
  watched:
    provider: builtin
    interval: 250ms
    minSample: 0
    errorRate: { max: 5% }
    decision: fixed-window`,
});

async function signIn(page: Page, url: string, token: string) {
  await page.goto(`${url}/`);
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

async function signOut(page: Page) {
  await page.click('text=sign out');
  await page.waitForSelector('input[name=token]');
}

describe('web dashboard in a real browser', { timeout: 240_000 }, () => {
  it('viewer watches, approver approves, operator aborts; each refused what their role does not allow', async () => {
    mkdirSync(SHOTS, { recursive: true });
    await using h = await startRuntime(SPEC);
    const tokens = new TokenStore(mkdtempSync(join(tmpdir(), 'slipway-dash-')));
    const api = new HttpApi(h.controller, { tokens });
    const url = await api.listen(0);
    const viewer = tokens.create('vera', 'viewer').token;
    const approver = tokens.create('alice', 'approver', undefined, undefined, ['release-manager']).token;
    const operator = tokens.create('otto', 'operator').token;
    const call = apiCaller(url);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const load: LoadGenerator[] = [];
    try {
      // The first deployment, approved by the API as alice, so that v2 is a canary against v1.
      const first = await call('POST', '/v1/releases', operator, {
        request: { changes: [{ service: 'web', version: 'v1' }] },
      });
      await eventually(
        async () => (await h.controller.get(first.body['id'])).state.status === 'waiting-approval',
      );
      assert.equal(
        (await call('POST', `/v1/releases/${first.body['id']}/approve`, approver, {})).status,
        200,
      );
      assert.equal((await h.controller.wait(first.body['id'])).state.status, 'succeeded');
      for (const target of h.runtime.localTargets.values())
        load.push(
          new LoadGenerator({ url: `${target.endpoint('web')}/`, rps: 80, durationMs: 120_000 }).start(),
        );

      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      page.on('dialog', (d) => void d.accept());
      await page.goto(`${url}/`);
      await page.waitForSelector('input[name=token]'); // a page that asks for a token first
      await signIn(page, url, viewer);
      assert.match(await page.innerText('[data-testid=who]'), /vera · viewer/);
      await page.waitForSelector('[data-testid=matrix] >> text=v1');
      await page.screenshot({ path: join(SHOTS, '1-what-runs-where.png'), fullPage: true });

      const v2 = await call('POST', '/v1/releases', operator, {
        request: { changes: [{ service: 'web', version: 'v2' }] },
      });
      const id = v2.body['id'] as string;
      await page.goto(`${url}/#/releases/${id}`);
      // Live: the canary's analysis charts while it runs (no reload), then the production gate.
      await page.waitForSelector('[data-testid=analysis] [data-chart="Error rate"] canvas', {
        timeout: 60_000,
      });
      await page.waitForSelector('[data-testid=traffic] >> text=v2 50%');
      const approve = page.locator('[data-testid=actions] button', { hasText: 'Approve production' });
      await approve.waitFor({ timeout: 60_000 });
      assert.ok(await approve.isDisabled(), 'a viewer sees the gate but may not approve');
      assert.match((await approve.getAttribute('title')) ?? '', /needs the approver role; you are viewer/);
      assert.ok(
        (await page.locator('[data-testid=timeline] [data-mark=done]').count()) > 3,
        'steps done so far',
      );
      await page.screenshot({ path: join(SHOTS, '2-release-waiting-for-approval.png'), fullPage: true });
      // The API refuses the viewer too, whatever the page shows.
      assert.equal((await call('POST', `/v1/releases/${id}/approve`, viewer, {})).status, 403);

      await signOut(page);
      await signIn(page, url, approver);
      await page.goto(`${url}/#/releases/${id}`);
      await page.locator('[data-testid=actions] button', { hasText: 'Approve production' }).click();
      await page.waitForSelector('h1 >> text=succeeded', { timeout: 90_000 });
      const audit = await page.innerText('[data-testid=audit]');
      assert.match(audit, /approved\s+alice/, 'the audit log names who approved');
      assert.match(audit, /release-created\s+otto/);
      await page.screenshot({ path: join(SHOTS, '3-release-succeeded.png'), fullPage: true });

      const v3 = await call('POST', '/v1/releases', operator, {
        request: { changes: [{ service: 'web', version: 'v3' }] },
      });
      await signOut(page);
      await signIn(page, url, operator);
      await page.goto(`${url}/#/releases/${v3.body['id']}`);
      await page.locator('[data-testid=actions] button', { hasText: 'Abort and roll back' }).click();
      await page.waitForSelector('h1 >> text=rolled-back', { timeout: 60_000 });
      assert.match(await page.innerText('[data-testid=rollback]'), /aborted from the dashboard by otto/);
      await page.screenshot({ path: join(SHOTS, '4-aborted-and-rolled-back.png'), fullPage: true });

      await page.goto(`${url}/#/releases`);
      await page.waitForSelector(`[data-testid=releases] >> text=${v3.body['id']}`);
      assert.equal(await page.locator('[data-testid=releases] tbody tr').count(), 3, 'v1, v2 and v3');
      await page.screenshot({ path: join(SHOTS, '5-releases.png'), fullPage: true });

      // Delivery metrics: the page shows what the API computes from the same history.
      const dora = (await call('GET', '/v1/dora?since=30d', viewer)).body as unknown as {
        byEnvironment: { environment: string; deployments: number; failures: number; finished: number }[];
      };
      assert.ok(dora.byEnvironment.length > 0);
      await page.goto(`${url}/#/delivery`);
      const shown = dora.byEnvironment[0]!;
      const row = page.locator('[data-testid=dora-environments] tbody tr', { hasText: shown.environment });
      await row.waitFor();
      const text = await row.innerText();
      assert.match(text, new RegExp(`^${shown.environment}\\s+${shown.deployments}\\b`));
      assert.match(text, new RegExp(`\\(${shown.failures} of ${shown.finished}\\)`));
      await page.screenshot({ path: join(SHOTS, '6-delivery.png'), fullPage: true });
    } finally {
      for (const g of load) await g.stop();
      await browser.close();
      await api.close();
    }
  });
});
