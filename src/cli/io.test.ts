import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printable } from './io.js';

describe('terminal output', () => {
  it('shows control characters from user strings as escapes, keeping newlines, tabs and Unicode', () => {
    assert.equal(printable('x\u001b[2K\rsecurity-team'), 'x\\e[2K\\rsecurity-team');
    assert.equal(printable('a\u0007b\u009bc'), 'a\\x07b\\x9bc');
    assert.equal(printable('line 1\n\tline 2 ✓ → ünïcode'), 'line 1\n\tline 2 ✓ → ünïcode');
  });
});
