/**
 * Golden files of every example's rendered objects (test/render/golden), each read by a person when it
 * changes. SLIPWAY_UPDATE_GOLDEN=1 rewrites them.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { schemaErrors } from '../../src/render/validate-object.js';
import { streamText } from '../../src/render/serialize.js';
import { renderExample } from './render-helpers.js';

const EXAMPLES = readdirSync('examples', { withFileTypes: true })
  // examples/argo-parity holds one small spec per Argo Rollouts example, planned by test/parity.
  .filter((e) => e.isDirectory() && existsSync(`examples/${e.name}/slipway.yaml`))
  .map((e) => e.name);

describe('render: every example', () => {
  for (const example of EXAMPLES) {
    it(`${example} renders schema-valid objects, identical to its golden file`, () => {
      const objects = renderExample(example);
      assert.ok(objects.length > 0, 'renders something');
      for (const o of objects)
        assert.deepEqual(schemaErrors(o.object), [], `${o.object.kind} ${o.object.metadata.name}`);
      const text = streamText(objects, 'yaml');
      const file = `test/render/golden/${example}.yaml`;
      if (process.env['SLIPWAY_UPDATE_GOLDEN']) writeFileSync(file, text);
      assert.equal(
        text,
        readFileSync(file, 'utf8'),
        `${file} differs; review and rerun with SLIPWAY_UPDATE_GOLDEN=1`,
      );
    });
  }

  it('is deterministic: two renders are byte-identical', () => {
    assert.equal(
      streamText(renderExample('normaldance'), 'yaml'),
      streamText(renderExample('normaldance'), 'yaml'),
    );
  });
});
