import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronProblem, longestGapMinutes } from './cron.js';

describe('cron schedules', () => {
  it('takes what a CronJob takes', () => {
    for (const ok of ['0 2 * * *', '*/15 * * * *', '0 0-6/2 1,15 JAN-MAR mon-fri', '30 4 * * 7', '@daily', '@hourly'])
      assert.equal(cronProblem(ok), undefined, ok);
  });
  it('says what is wrong with what it does not', () => {
    assert.match(cronProblem('0 2 * *')!, /5 fields .* this has 4/);
    assert.match(cronProblem('60 * * * *')!, /minute field "60" is outside 0–59/);
    assert.match(cronProblem('0 0 0 * *')!, /day of month field "0" is outside 1–31/);
    assert.match(cronProblem('*/0 * * * *')!, /bad step/);
    assert.match(cronProblem('@fortnightly')!, /unknown macro/);
    assert.match(cronProblem('0 2 * * FUNDAY')!, /day of week field/);
  });
});

describe('cron gaps', () => {
  it('finds the longest time between two runs', () => {
    assert.equal(longestGapMinutes('*/15 * * * *'), 15);
    assert.equal(longestGapMinutes('0 2 * * *'), 24 * 60);
    assert.equal(longestGapMinutes('@hourly'), 60);
    assert.equal(longestGapMinutes('0 2 * * 1-5'), 3 * 24 * 60); // Friday 02:00 to Monday 02:00
    assert.equal(longestGapMinutes('0 0 1,15 * *'), 17 * 24 * 60); // from the 15th of a 31-day month
  });
});
