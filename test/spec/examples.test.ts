/** Every example validates, and the exported JSON Schema agrees with the loader. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { discoverSpecs, loadSpecFile, platformJsonSchema } from '../../src/spec/index.js';

const EXAMPLES = [
  'demo',
  'demo-kubernetes',
  'medical-platform',
  'normaldance',
  'streamforge',
  'x0tta6bl4-optimizations',
  'x0tta6bl4-update',
];

describe('examples', () => {
  const files = discoverSpecs('examples');

  it('has one spec per source document plus the demos', () => {
    assert.deepEqual(files.map((f) => f.split('/')[1]).sort(), EXAMPLES);
  });

  for (const file of files) {
    it(`${file} is valid`, () => {
      const result = loadSpecFile(file);
      assert.ok(
        result.ok,
        result.ok ? '' : result.errors.map((e) => `${e.location?.line}: ${e.code} ${e.message}`).join('\n'),
      );
    });
  }

  it('each example names the source document it expresses', () => {
    for (const file of files.filter((f) => !/\/demo(-kubernetes)?\//.test(f))) {
      const text = readFileSync(file, 'utf8');
      assert.match(text.split('\n').slice(0, 5).join('\n'), /shared\/seeds\/00[0-4]_[0-9a-f]+\.txt/, file);
    }
  });

  it('the committed schema/slipway.schema.json is the current schema', () => {
    const committed = JSON.parse(readFileSync('schema/slipway.schema.json', 'utf8')) as unknown;
    assert.deepEqual(committed, platformJsonSchema(), 'run `npm run schema` and commit the result');
  });

  it('every example also validates against the JSON Schema (as an editor would check it)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(platformJsonSchema());
    for (const file of files) {
      const ok = validate(parse(readFileSync(file, 'utf8'), { merge: true }));
      assert.ok(ok, `${file}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    }
  });

  it('the JSON Schema rejects what the loader rejects for shape (a misspelt key)', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(platformJsonSchema());
    const spec = parse(readFileSync('examples/demo/slipway.yaml', 'utf8')) as {
      services: { web: Record<string, unknown> };
    };
    Object.assign(spec.services.web, { replcias: 3 });
    assert.equal(validate(spec), false);
  });
});
