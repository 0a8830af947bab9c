/** Inputs without an end stop at the limit with a clear message and exit 2 (an unbounded read never returns). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const bin = (args: string[], env: Record<string, string> = {}, input?: Buffer) =>
  spawnSync(process.execPath, ['bin/slipway.js', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
    ...(input ? { input } : {}),
  });

describe('input bounds', () => {
  it('validate /dev/zero stops at the spec limit', () => {
    const r = bin(['validate', '/dev/zero']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout + r.stderr, /SPEC_TOO_LARGE: the file has more than 16777216 bytes/);
  });

  it('lint /dev/zero and an oversized standard input stop at the configurable manifest limit', () => {
    const file = bin(['lint', '/dev/zero'], { SLIPWAY_MAX_INPUT_BYTES: '2000000' });
    assert.equal(file.status, 2, file.stderr);
    assert.match(file.stderr, /MANIFEST_TOO_LARGE: \/dev\/zero: more than 2000000 bytes/);
    const stdin = bin(['lint', '-'], { SLIPWAY_MAX_INPUT_BYTES: '1000' }, Buffer.alloc(5000, 'a'));
    assert.equal(stdin.status, 2, stdin.stderr);
    assert.match(stdin.stderr, /MANIFEST_TOO_LARGE: <stdin>: more than 1000 bytes/);
  });
});
