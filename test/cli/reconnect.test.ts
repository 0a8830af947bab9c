/**
 * `slipway release` follows a release through a controller that goes away and comes back (the release
 * goes on in the controller's log), and gives up with a clear error only after its wait.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { follow } from '../../src/cli/progress.js';
import { HttpApi } from '../../src/server/http-api.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';

describe('release progress across a controller restart', { timeout: 120_000 }, () => {
  it('waits for the API to come back, then follows the release to its end', async () => {
    await using h = await startRuntime(BASE_SPEC({ steps: '[{ weight: 50 }, { pause: 3s }]' }));
    const port = await freePort();
    let api = new HttpApi(h.controller);
    const url = await api.listen(port);
    const first = await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ivy');
    await h.controller.wait(first.release.id);
    const { release } = await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ivy');
    const lines: string[] = [];
    const followed = follow(url, release.id, (l) => lines.push(l), 30_000);
    await new Promise((r) => setTimeout(r, 500));
    await api.close();
    await new Promise((r) => setTimeout(r, 2500));
    api = new HttpApi(h.controller);
    await api.listen(port);
    try {
      assert.equal(await followed, 'release-succeeded', lines.join('\n'));
      assert.ok(
        lines.some((l) => /is unreachable; waiting up to 30s for it \(the release goes on\)/.test(l)),
      );
      assert.ok(lines.some((l) => /controller back after \d+s/.test(l)));
    } finally {
      await api.close();
    }
  });

  it('gives up with CLI_NO_CONTROLLER when it does not come back in time', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const lines: string[] = [];
    await assert.rejects(
      follow(url, 'r1', (l) => lines.push(l), 1500),
      /no Slipway controller answers/,
    );
    assert.equal(lines.length, 1);
  });
});
