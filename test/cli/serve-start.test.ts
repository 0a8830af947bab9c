/** A controller that cannot start says why and exits at once, never hangs or prints a stack trace. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const serve = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/slipway.js', 'serve', '-f', 'examples/demo/slipway.yaml', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('serve that cannot start', { timeout: 120_000 }, () => {
  it('refuses a bad port and a state directory that is a file, with exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-serve-'));
    const bad = serve('--port', '99999', '--state-dir', join(dir, 'a'));
    assert.deepEqual([bad.status, bad.signal], [2, null]);
    assert.match(bad.stderr, /SERVE_BAD_PORT: --port "99999" is not a port/);
    writeFileSync(join(dir, 'file'), '');
    const file = serve('--state-dir', join(dir, 'file'));
    assert.deepEqual([file.status, file.signal], [2, null]);
    assert.match(file.stderr, /SERVE_STATE_DIR_NOT_DIR/);
    assert.doesNotMatch(bad.stderr + file.stderr, /\n\s+at /);
  });

  it('exits at once when its port is taken, stopping what it had started', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = String((blocker.address() as { port: number }).port);
    // spawnSync blocks this process, but the blocking server lives in the kernel: the port stays taken.
    const r = serve('--port', port, '--state-dir', mkdtempSync(join(tmpdir(), 'slipway-serve-')));
    blocker.close();
    assert.deepEqual([r.status, r.signal], [3, null], r.stderr);
    assert.match(r.stderr, /SERVE_PORT_IN_USE/);
  });
});
