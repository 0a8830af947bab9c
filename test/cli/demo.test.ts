/**
 * The README's main command, with real processes and traffic: `slipway demo --json --stay` — the result, then
 * the controller and its dashboard kept up until Ctrl-C, then nothing left running.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { DemoResult } from '../../src/demo/run-demo.js';

/** Replicas of the demo's own clusters (other tests run the same service on other cluster names). */
const DEMO_CLUSTERS = ['SLIPWAY_CLUSTER=staging', 'SLIPWAY_CLUSTER=prod-east', 'SLIPWAY_CLUSTER=prod-west'];
const demoProcesses = () =>
  spawnSync('pgrep', ['-f', 'examples/demo/service.js'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .filter(Boolean)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .some((v) => DEMO_CLUSTERS.includes(v));
      } catch {
        return false;
      }
    });

describe('slipway demo', { timeout: 300_000 }, () => {
  it('releases v2 with zero failed requests, rolls v3 back, stays up until Ctrl-C, and leaves no process running', async () => {
    const child = spawn(process.execPath, ['bin/slipway.js', 'demo', '--json', '--stay'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const STAYS = '\nThe dashboard stays up at ';
    const deadline = Date.now() + 280_000;
    while (!stdout.includes(STAYS) && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    assert.ok(stdout.includes(STAYS), `the demo stays up: ${stdout.slice(-500)} ${stderr.slice(-2000)}`);
    const run = { stdout: stdout.slice(0, stdout.indexOf(STAYS)) };
    // With --stay the controller still answers: its dashboard, and its API with the token it printed.
    const stayed = JSON.parse(run.stdout) as DemoResult;
    assert.match(await (await fetch(stayed.dashboard.url)).text(), /<html/i);
    const releases = (await (
      await fetch(`${stayed.dashboard.url}v1/releases`, {
        headers: { authorization: `Bearer ${stayed.dashboard.token}` },
      })
    ).json()) as unknown[];
    assert.ok(releases.length >= 3, 'v1, v2 and v3 are in its history');
    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    const result = JSON.parse(run.stdout) as DemoResult;
    assert.deepEqual(
      result.releases.map((r) => [r.version, r.outcome]),
      [
        ['v2', 'succeeded'],
        ['v3', 'rolled-back'],
      ],
    );
    const [v2, v3] = result.releases;
    assert.equal(v2?.failedRequests, 0);
    assert.ok((v3?.failedRequests ?? 0) > 0, 'v3 fails some requests before it is caught');
    assert.ok(v3?.decisionSeconds !== null && (v3?.decisionSeconds ?? 99) < 30);
    assert.deepEqual(result.finalVersions, { 'prod-east': 'v2', 'prod-west': 'v2', staging: 'v2' });
    assert.ok(result.requestsServed > 5000);
    // The controller's dashboard was up during the demo, with a token to sign in.
    assert.match(result.dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(result.dashboard.token, /^slw_/);
    assert.deepEqual(demoProcesses(), [], 'the demo left replicas running');
  });
});
