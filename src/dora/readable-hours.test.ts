import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readableHours } from './readable-hours.js';

describe('readable hours', () => {
  it('minutes under an hour, hours up to two days, days past that, a dash for none', () => {
    assert.deepEqual(
      [null, 0.25, 0.999, 1, 47.94, 48, 100].map((h) => readableHours(h)),
      ['-', '15m', '60m', '1.0h', '47.9h', '2.0d', '4.2d'],
    );
  });

  it('in the units the dashboard writes', () => {
    const page = { none: '—', minutes: ' min', hours: ' h', days: ' d' };
    assert.deepEqual(
      [null, 0.5, 3, 72].map((h) => readableHours(h, page)),
      ['—', '30 min', '3.0 h', '3.0 d'],
    );
  });
});
