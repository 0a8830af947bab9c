/** A platform runtime on a small local spec, with a fresh state directory, always torn down. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformRuntime } from '../../src/server/platform-runtime.js';
import { loadSpecText } from '../../src/spec/index.js';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import type { LocalTarget } from '../../src/targets/local/local-target.js';
import { ROOT } from '../local/local-harness.js';

export const BASE_SPEC = (
  extra: { analysis?: string; steps?: string; approval?: string; notify?: string; web?: string } = {},
) => `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: enginetest }
environments:
  staging:
    clusters: { stg: { local: {} } }
  production:
    ${extra.approval ?? ''}
    clusters:
      east: { local: {} }
      west: { local: {} }
    waves: [[east], [west]]
services:
  web:
    image: registry.example.com/web
    local:
      command: node examples/demo/service.js
      gracePeriod: 3s
      versions:
        bad: { env: { DEMO_ERROR_RATE: "1" } }
    port: 8080
    replicas: 2
    health: { readiness: { path: /health/ready, period: 200ms } }
    ${extra.web ?? ''}
    release:
      strategy: canary
      steps: ${extra.steps ?? '[{ weight: 50 }, { analysis: quick, for: 2s }]'}
analysis:
  quick:
    provider: builtin
    interval: 250ms
    minSample: 0
    errorRate: { max: 1% }
    # These tests are about the engine, with little or no traffic: the end of the window decides.
    decision: fixed-window
    ${extra.analysis ?? ''}
checks:
  smoke: { http: { path: /health, expect: 200 } }
${extra.notify ?? ''}
`;

export async function startRuntime(specText: string, env: Record<string, string> = {}) {
  const result = loadSpecText(specText, 'engine-test.yaml');
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.location?.line}: ${e.message}`).join('\n'));
  const stateDir = mkdtempSync(join(tmpdir(), 'slipway-engine-'));
  writeFileSync(join(stateDir, 'slipway.yaml'), specText);
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const lines: string[] = [];
  const runtime = new PlatformRuntime({
    spec: result.spec,
    root: ROOT,
    stateDir,
    pollMs: 50,
    log: (l) => lines.push(l),
  });
  await runtime.start();
  return {
    runtime,
    controller: runtime.controller,
    stateDir,
    lines,
    async [Symbol.asyncDispose]() {
      await runtime.close();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
  };
}

/**
 * A parity-corpus spec (examples/argo-parity/, service `rollouts-demo` on `local-1`) released at blue, then
 * `version` released under `rps` requests/s of load: the runtime, the local target, the release id and the
 * load (stop it once the release has ended).
 */
export async function parityReleaseUnderLoad(specText: string, version: string, rps: number) {
  const h = await startRuntime(specText);
  const c = h.controller;
  const first = await c.wait(
    (await c.release({ changes: [{ service: 'rollouts-demo', version: 'blue' }] }, 'kim')).release.id,
  );
  if (first.state.status !== 'succeeded') throw new Error(`blue: ${first.state.failure?.reason}`);
  const target = h.runtime.localTargets.get('local-1') as LocalTarget;
  const load = new LoadGenerator({
    url: `${target.endpoint('rollouts-demo')}/`,
    rps,
    durationMs: 120_000,
  }).start();
  const id = (await c.release({ changes: [{ service: 'rollouts-demo', version }] }, 'kim')).release.id;
  return Object.assign(h, { target, load, id });
}
