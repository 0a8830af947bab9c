import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCpu, parseDuration, parseMemory, parsePercent } from './units.js';

describe('units', () => {
  it('parses compound durations', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('2d'), 172_800_000);
    assert.throws(() => parseDuration('5 minutes'), RangeError);
    assert.throws(() => parseDuration(''), RangeError);
  });
  it('parses percentages as fractions', () => {
    assert.equal(parsePercent('1%'), 0.01);
    assert.equal(parsePercent('0.5%'), 0.005);
    assert.equal(parsePercent(70), 0.7);
    assert.throws(() => parsePercent('1'), RangeError);
  });
  it('parses CPU and memory quantities', () => {
    assert.equal(parseCpu('500m'), 0.5);
    assert.equal(parseCpu('2'), 2);
    assert.equal(parseMemory('512Mi'), 512 * 1024 * 1024);
    assert.equal(parseMemory('1G'), 1e9);
    assert.throws(() => parseMemory('12Zi'), RangeError);
  });
});
