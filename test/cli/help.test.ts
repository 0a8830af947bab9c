import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runBin, runCli } from './cli-helpers.js';

describe('slipway help and conventions', () => {
  it('--help lists the commands, kubectl style', async () => {
    const r = await runCli('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Available Commands:$/m);
    assert.match(r.stdout, /^ {2}validate\s+Validate platform specs/m);
    assert.match(r.stdout, /^ {2}schema\s+Print the JSON Schema/m);
    assert.match(r.stdout, /^Usage:\n {2}slipway \[options\] \[command\]$/m);
    assert.match(r.stdout, /Use "slipway <command> --help" for more information about a command\./);
  });

  it('each command has help with examples', async () => {
    const r = await runCli('validate', '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Examples:$/m);
    assert.match(r.stdout, /^ {2}slipway validate examples$/m);
    assert.match(r.stdout, /^ {2}--json\s+print the result as JSON$/m);
  });

  it('an unknown command exits 2 and suggests the right one', () => {
    const r = runBin('valdate');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'valdate'/);
    assert.match(r.stderr, /Did you mean validate\?/);
  });

  it('schema prints a draft-07 JSON Schema', async () => {
    const r = await runCli('schema');
    assert.equal(r.code, 0);
    const schema = JSON.parse(r.stdout) as { $schema: string; required: string[] };
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual([...schema.required].sort(), [
      'apiVersion',
      'environments',
      'kind',
      'metadata',
      'services',
    ]);
  });

  it('--version prints the package version', async () => {
    const r = await runCli('--version');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+$/m);
  });
});
