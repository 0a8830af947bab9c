/**
 * Property: whatever string is given as a version — to `release`, `rollback --to` or the API — it is either
 * a version by the one grammar (then the CLI goes on and, with no controller, says so: exit 3) or refused as
 * VERSION_INVALID with exit 2; never an internal error, never a stack trace, never a raw control character
 * on the terminal, and never a file named after it.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVersion } from '../../src/spec/version.js';
import { runCli } from './cli-helpers.js';
import { assertPeakMemoryBounded } from '../fuzz-memory.js';

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '$(id)',
    '`id`',
    ';reboot',
    '../../etc/passwd',
    '\u001b[2K\r',
    'v1\nv2',
    '-rf',
    '.hidden',
    '',
  ),
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/),
  fc.string({ minLength: 120, maxLength: 400 }),
);

describe('versions, fuzzed', { timeout: 120_000 }, () => {
  it('are versions or located user errors, whatever the command', async () => {
    const before = new Set(readdirSync(tmpdir()));
    await fc.assert(
      fc.asyncProperty(hostile, fc.constantFrom('release', 'rollback'), async (version, command) => {
        const args =
          command === 'release'
            ? ['release', `web@${version}`, '--server', 'http://127.0.0.1:9']
            : ['rollback', 'web', '--to', version, '--server', 'http://127.0.0.1:9'];
        const r = await runCli(...args);
        const out = r.stdout + r.stderr;
        assert.doesNotMatch(out, /INTERNAL|\n\s+at /, out);
        const raw = [...out.replace(/\n/g, '')].some(
          (ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f,
        );
        assert.ok(!raw, `a raw control character in ${JSON.stringify(out)}`);
        if (isVersion(version))
          assert.equal(r.code, 3, out); // no controller at port 9
        else {
          assert.equal(r.code, 2, out);
          assert.match(r.stderr, /VERSION_INVALID|CLI_BAD_ARGUMENT|SPEC|error/);
        }
      }),
      { numRuns: 150, seed: 1130 },
    );
    assertPeakMemoryBounded();
    const created = [...readdirSync(tmpdir())].filter((n) => !before.has(n) && /\.log$/.test(n));
    assert.deepEqual(created, [], 'no file named after a version');
  });
});
