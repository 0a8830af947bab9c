/** Each malformed spec yields exactly its expected located error. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SlipwayError } from '../../src/errors/index.js';
import { loadSpecFile } from '../../src/spec/index.js';

const dir = 'test/fixtures/invalid';
interface Expected {
  code: string;
  line: number;
  column: number;
  path?: string;
  hint?: string;
}
const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8')) as Record<string, Expected>;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('malformed specs', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    assert.deepEqual(Object.keys(expected).sort(), files);
    assert.ok(files.length >= 40, `only ${files.length} fixtures`);
  });

  for (const file of files) {
    it(file, () => {
      const want = expected[file];
      assert.ok(want, `no expectation for ${file}`);
      const result = loadSpecFile(`${dir}/${file}`);
      assert.equal(result.ok, false, 'the spec should be invalid');
      if (result.ok) return;
      const summary = result.errors.map(
        (e) => `${e.code} ${e.location?.line}:${e.location?.column} ${e.message}`,
      );
      assert.equal(result.errors.length, 1, `expected exactly one error, got:\n${summary.join('\n')}`);
      const [error] = result.errors;
      assert.ok(error instanceof SlipwayError);
      assert.equal(error.code, want.code);
      assert.equal(error.location?.file, `${dir}/${file}`);
      assert.equal(error.location?.line, want.line, summary[0]);
      assert.equal(error.location?.column, want.column, summary[0]);
      if (want.path) assert.equal(error.location?.path, want.path);
      if (want.hint) assert.equal(error.hint, want.hint);
    });
  }
});
