import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { shellWord } from '../engine/gates/run-check.js';
import { SlipwayError } from '../errors/index.js';
import { isVersion, requireVersion } from './version.js';

const HOSTILE = [
  '/../../../../../../../../../../tmp/x',
  '../x',
  '..',
  '.hidden',
  '-rf',
  'v1;rm -rf /',
  'v1$(touch /tmp/slipway-pwned)',
  'v1`id`',
  'v1\nv2',
  "v1'x",
  'v'.repeat(129),
  'x'.repeat(1_000_000),
  'sha256:abc',
  '',
];

describe('version grammar', () => {
  it('accepts image tags and digests', () => {
    for (const v of [
      'v1',
      'v1.4.2',
      '1.4.2-rc.1',
      '2026-11-30.3',
      'latest',
      '_x',
      'V'.repeat(128),
      `sha256:${'a'.repeat(64)}`,
    ])
      assert.ok(isVersion(v), v);
  });

  it('refuses traversal, shell syntax, control characters and unbounded strings, with a short message', () => {
    for (const v of HOSTILE) {
      assert.equal(isVersion(v), false, v.slice(0, 40));
      assert.throws(
        () => requireVersion(v, 'rollback --to'),
        (e: unknown) =>
          e instanceof SlipwayError &&
          e.code === 'VERSION_INVALID' &&
          e.category === 'user' &&
          e.message.length < 200 &&
          !e.message.includes('\n'),
      );
    }
  });
});

describe('shell words in check commands', () => {
  it('reach the command as one literal word, whatever they hold', () => {
    for (const value of [...HOSTILE.slice(0, 10), 'plain', 'a b', '', "it's", '$HOME', '"q"'])
      assert.equal(
        execFileSync('/bin/sh', ['-c', `printf %s ${shellWord(value)}`], { encoding: 'utf8' }),
        value,
        JSON.stringify(value),
      );
  });
});
