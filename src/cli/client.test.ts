import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exitCodeFor } from '../errors/index.js';
import { apiError } from './client.js';

describe('errors the controller answers with', () => {
  it('keep the category the controller sent, which decides the exit code', () => {
    const e = apiError(409, { error: { code: 'ROLLBACK_STEP_FAILED', category: 'release', message: 'm' } });
    assert.equal(e.code, 'ROLLBACK_STEP_FAILED');
    assert.equal(exitCodeFor(e.category), 1);
  });

  it('from an older controller without a category: the table’s for a known code, else the status’s', () => {
    assert.equal(
      apiError(409, { error: { code: 'KUBE_UNREACHABLE', message: 'm' } }).category,
      'infrastructure',
    );
    assert.equal(
      apiError(503, { error: { code: 'SOMETHING_NEW', message: 'm' } }).category,
      'infrastructure',
    );
    assert.equal(apiError(400, { error: { code: 'SOMETHING_NEW', message: 'm' } }).category, 'user');
    const bare = apiError(502, 'not an object');
    assert.equal(bare.code, 'API_ERROR');
    assert.equal(bare.message, 'HTTP 502');
  });

  it('ignore a category that is not one of the four', () => {
    const e = apiError(400, { error: { code: 'SPEC_INVALID_VALUE', category: 'bogus', message: 'm' } });
    assert.equal(e.category, 'user');
  });
});
