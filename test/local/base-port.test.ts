/**
 * `local.basePort`: the admin endpoint and every service's router keep their ports across controller
 * restarts (clients keep the service); a taken port is a clear, typed error; overlapping clusters are
 * refused by validate.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PlatformRuntime } from '../../src/server/platform-runtime.js';
import { loadSpecText } from '../../src/spec/index.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { ROOT } from './local-harness.js';

/** Two free ports in a row: the cluster's admin endpoint and the one local service's router. */
async function freeRange(): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base > 65000) continue;
    const next = await new Promise<boolean>((resolve) => {
      const s = createServer().once('error', () => resolve(false));
      s.listen(base + 1, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (next) return base;
  }
}

describe('local.basePort', { timeout: 120_000 }, () => {
  it('keeps the router and admin ports across a controller restart', async () => {
    const base = await freeRange();
    const spec = BASE_SPEC().replace('stg: { local: {} }', `stg: { local: { basePort: ${base} } }`);
    const ports: string[] = [];
    for (let i = 0; i < 2; i++) {
      await using h = await startRuntime(spec);
      const stg = h.runtime.localTargets.get('stg')!;
      ports.push(`${stg.endpoint('web')} ${stg.adminUrl}`);
      assert.equal((await fetch(`${stg.adminUrl}/status`)).status, 200);
    }
    assert.deepEqual(ports, Array(2).fill(`http://127.0.0.1:${base + 1} http://127.0.0.1:${base}`));
  });

  it('says which port is taken, for what', async () => {
    const base = await freeRange();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(base + 1, '127.0.0.1', resolve));
    try {
      const spec = BASE_SPEC().replace('stg: { local: {} }', `stg: { local: { basePort: ${base} } }`);
      const loaded = loadSpecText(spec, 'base-port.yaml');
      assert.ok(loaded.ok);
      const runtime = new PlatformRuntime({
        spec: loaded.spec,
        root: ROOT,
        stateDir: mkdtempSync(join(tmpdir(), 'slipway-base-port-')),
      });
      await assert.rejects(runtime.start(), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'LOCAL_PORT_IN_USE');
        assert.match(e.message, new RegExp(`cluster stg: port ${base + 1} for the router of web is in use`));
        return true;
      });
      await runtime.close();
    } finally {
      blocker.close();
    }
  });

  it('validate refuses local clusters whose ports overlap', () => {
    const spec = BASE_SPEC()
      .replace('stg: { local: {} }', 'stg: { local: { basePort: 20000 } }')
      .replace('east: { local: {} }', 'east: { local: { basePort: 20001 } }');
    const loaded = loadSpecText(spec, 'overlap.yaml');
    assert.equal(loaded.ok, false);
    if (loaded.ok) return;
    const [error] = loaded.errors;
    assert.equal(error?.code, 'SPEC_INVALID_VALUE');
    assert.match(
      error?.message ?? '',
      /ports 20001–20002 of local cluster east overlap 20000–20001 of staging\/stg/,
    );
  });
});
