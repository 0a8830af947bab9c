/** Versions enter through `release`, `rollback --to` and the spec: one grammar refuses the rest before anything runs. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { runBin } from './cli-helpers.js';

const tmpNames = () => new Set(readdirSync(tmpdir()));

describe('versions from the command line', () => {
  it('rollback --to with a path traversal exits 2 and creates nothing', () => {
    const before = tmpNames();
    const r = runBin(
      'rollback',
      'web',
      '--to',
      '/../../../../../../../../../../tmp/slipway-traversal-x',
      '--env',
      'staging',
      '--server',
      'http://127.0.0.1:9',
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /VERSION_INVALID/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync('/tmp/slipway-traversal-x-1.log'), false);
    assert.deepEqual(
      [...tmpNames()].filter((n) => !before.has(n) && n.startsWith('slipway-traversal')),
      [],
    );
  });

  it('release refuses shell syntax and control characters in a version, printed escaped', () => {
    for (const bad of ['web@v1$(id)', 'web@v1;reboot', 'web@v1\u001b[2K\rok']) {
      const r = runBin('release', bad, '--server', 'http://127.0.0.1:9');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /VERSION_INVALID/);
      assert.equal(r.stderr.includes('\u001b'), false, 'no raw escape reaches the terminal');
    }
  });
});
