import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBin, runCli } from './cli-helpers.js';

const MISSPELT = 'test/fixtures/invalid/misspelt-readiness.yaml';

describe('slipway validate', () => {
  it('validates every example and exits 0', async () => {
    const r = await runCli('validate', 'examples');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 7);
    assert.match(r.stdout, /examples\/medical-platform\/slipway\.yaml: valid \(8 services, 2 environments\)/);
  });

  it('prints a located error with a did-you-mean hint for a misspelt key, and exits 2', async () => {
    const r = await runCli('validate', MISSPELT);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^test\/fixtures\/invalid\/misspelt-readiness\.yaml:11:15: error SPEC_UNKNOWN_KEY: unknown key "readyness" \(at services\.api\.health\.readyness\)$/m,
    );
    assert.match(r.stderr, /hint: did you mean "readiness"\?/);
  });

  it('shows both locations of a cross-reference error', async () => {
    const r = await runCli('validate', 'test/fixtures/invalid/dependency-cycle.yaml');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /dependency-cycle\.yaml:11:17: error SPEC_DEPENDENCY_CYCLE: dependency cycle: api → auth → db → api/,
    );
    assert.match(r.stderr, /dependency-cycle\.yaml:14:17: note: "auth" depends on the next service here/);
    assert.match(r.stderr, /dependency-cycle\.yaml:17:17: note: "db" depends on the next service here/);
  });

  it('--json gives every error with code and location', async () => {
    const r = await runCli('validate', 'test/fixtures/invalid/undefined-analysis-template.yaml', '--json');
    assert.equal(r.code, 2);
    const body = JSON.parse(r.stdout) as {
      valid: boolean;
      files: { errors: { code: string; location: { line: number } }[] }[];
    };
    assert.equal(body.valid, false);
    assert.equal(body.files[0]?.errors[0]?.code, 'SPEC_UNKNOWN_REFERENCE');
    assert.equal(body.files[0]?.errors[0]?.location.line, 13);
  });

  it('a missing file is a user error with a hint, not a stack trace', () => {
    const r = runBin('validate', 'no/such/slipway.yaml');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error SPEC_FILE_NOT_FOUND: no such file: no\/such\/slipway\.yaml/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('the built binary exits 2 on an invalid spec without a stack trace; --debug adds one', () => {
    const plain = runBin('validate', MISSPELT);
    assert.equal(plain.code, 2);
    assert.doesNotMatch(plain.stderr, /\n\s+at /);
    const debug = runBin('validate', MISSPELT, '--debug');
    assert.equal(debug.code, 2);
    assert.match(debug.stderr, /\n\s+at /);
  });

  it('a directory without specs is a clear error', async () => {
    const r = await runCli('validate', 'src/errors');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error SPEC_NOT_FOUND: no slipway\.yaml or slipway\.yml under src\/errors/);
  });
});
