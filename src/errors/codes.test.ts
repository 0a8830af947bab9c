import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES, type ErrorCode, httpStatusOf, isErrorCode } from './codes.js';
import { codeUses, errorCodesMarkdown, sources } from './error-codes-doc.js';
import { errorHttpStatus } from './exit-codes.js';
import { RemoteError, SlipwayError } from './slipway-error.js';
import { errorToJson } from './to-json.js';

describe('the table of error codes', () => {
  it('docs/error-codes.md is made from the current table (npm run error-codes)', () => {
    assert.equal(readFileSync('docs/error-codes.md', 'utf8'), errorCodesMarkdown());
  });

  it('has no code that nothing in src/ raises', () => {
    const uses = codeUses();
    const stale = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => !uses.has(c));
    assert.deepEqual(stale, []);
  });

  it('has every code that src/ compares an error with or answers (beyond what the compiler checks)', () => {
    const named = new Set<string>();
    for (const { text } of sources('src')) {
      for (const m of text.matchAll(/\bcode\s*(?:===|!==|:)\s*'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g))
        named.add(m[1]!);
    }
    assert.ok(named.size > 5, `found ${named.size}`);
    // Codes of other libraries' errors that src/ reads (yaml's parse errors).
    const foreign = new Set(['DUPLICATE_KEY']);
    assert.deepEqual(
      [...named].filter((c) => !isErrorCode(c) && !foreign.has(c)),
      [],
    );
  });

  it('gives each code one category, and from it the exit code and the HTTP status', () => {
    const error = new SlipwayError('KUBE_UNREACHABLE', 'no cluster');
    assert.equal(error.category, 'infrastructure');
    assert.equal(errorHttpStatus(error), 503);
    assert.equal(httpStatusOf('RELEASE_IN_PROGRESS'), 409);
    assert.equal(httpStatusOf('API_UNAUTHENTICATED'), 401);
    assert.equal(httpStatusOf('RELEASE_NOT_FOUND'), 404);
    assert.equal(httpStatusOf('SPEC_INVALID_VALUE'), 400);
    assert.equal(httpStatusOf('INTERNAL'), 500);
    assert.deepEqual(errorToJson(new SlipwayError('ROLLBACK_STEP_FAILED', 'x')), {
      code: 'ROLLBACK_STEP_FAILED',
      category: 'release',
      message: 'x',
    });
  });

  it('keeps the code and category a controller answered with, even one this client does not know', () => {
    const remote = new RemoteError('SOME_NEWER_CODE', 'release', 'a newer controller said so');
    assert.equal(remote.code, 'SOME_NEWER_CODE');
    assert.equal(remote.category, 'release');
    assert.ok(remote instanceof SlipwayError);
  });
});
