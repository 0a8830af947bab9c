import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest, didYouMean, editDistance } from './suggest.js';

describe('suggest', () => {
  it('measures typos, including swapped letters', () => {
    assert.equal(editDistance('readyness', 'readiness'), 1);
    assert.equal(editDistance('raedy', 'ready'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });
  it('suggests the closest known key and nothing when none is close', () => {
    assert.equal(closest('readyness', ['readiness', 'liveness', 'startup']), 'readiness');
    assert.equal(closest('replcias', ['replicas', 'resources']), 'replicas');
    assert.equal(closest('zzzzzzzz', ['replicas', 'resources']), undefined);
    assert.equal(didYouMean('strategy', []), undefined);
    assert.equal(didYouMean('blugreen', ['rolling', 'blue-green', 'canary']), 'did you mean "blue-green"?');
  });
});
