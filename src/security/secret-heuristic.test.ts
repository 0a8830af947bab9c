import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretName, secretValueKind } from './secret-heuristic.js';

describe('the one secret rule of validate and lint', () => {
  it('names: words and key suffixes that hold secrets, not the names of places', () => {
    for (const name of [
      'DB_PASS',
      'DB_PASSWORD',
      'SIGNING_KEY',
      'API_KEY',
      'GITHUB_TOKEN',
      'client-secret',
      'AWS_SECRET_ACCESS_KEY',
      'PGPWD'.replace('PG', 'PG_'),
    ])
      assert.ok(isSecretName(name), name);
    for (const name of [
      'PASSWORD_FILE',
      'TOKEN_TTL',
      'SECRET_NAME',
      'TOKEN_URL',
      'PASSPORT',
      'BYPASS_CACHE',
      'KEYCLOAK_REALM',
      'LOG_LEVEL',
    ])
      assert.equal(isSecretName(name), false, name);
  });

  it('values that are secrets whatever their name', () => {
    assert.equal(secretValueKind('Bearer eyJhbGciOi.abc.def'), 'an HTTP credential');
    assert.equal(secretValueKind('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig'), 'a JWT');
    assert.equal(secretValueKind('https://hooks.slack.com/services/T/B/x'), 'a Slack webhook URL');
    assert.equal(secretValueKind('postgres://app:hunter2@db:5432/app'), 'a URL with a password');
    assert.equal(secretValueKind('https://api.example.com'), undefined);
  });
});
