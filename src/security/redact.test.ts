import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact, secretParts } from './redact.js';

describe('redact', () => {
  it('masks a known secret and, for a URL, each of its credential parts printed on their own', () => {
    const hook = 'https://hooks.example.com/services/T0KEN1234567/B0T5678?sig=abcdef123456&x=1';
    assert.deepEqual(secretParts(hook).slice(0, 1), [hook]);
    assert.ok(secretParts(hook).includes('T0KEN1234567'));
    assert.ok(secretParts(hook).includes('abcdef123456'));
    assert.ok(!secretParts(hook).includes('1'), 'short values are not tokens');
    const text = `posting to ${hook}; retry T0KEN1234567 with sig abcdef123456`;
    assert.equal(redact(text, [hook]).includes('T0KEN1234567'), false);
    assert.equal(redact(text, [hook]).includes('abcdef123456'), false);
  });

  it('masks the credentials any URL carries, known or not', () => {
    assert.equal(redact('http://u:p4ss@host/x'), 'http://***@host/x');
    assert.equal(redact('https://h/x?token=abc&y=2'), 'https://h/x?token=***&y=2');
    assert.equal(
      redact('https://api.telegram.org/bot123:AAE-x/sendMessage'),
      'https://api.telegram.org/bot***/sendMessage',
    );
  });
});
