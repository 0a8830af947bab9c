/**
 * @module Rendered objects as lint and netpol read them: each placed at the spec entry that produced it
 * (in the spec's text, when it is at hand), `scope` saying for which environment and cluster.
 */
import { locate, type SpecSource } from '../spec/index.js';
import type { LocatedObject } from './k8s-object.js';
import type { RenderedObject } from './render-platform.js';

export function locatedObjects(objects: RenderedObject[], source: SpecSource | undefined): LocatedObject[] {
  return objects.map((r) => {
    const at = source ? locate(source, r.origin, 'key') : { file: 'slipway.yaml', line: 1, column: 1 };
    return {
      object: r.object,
      origin: { file: at.file, line: at.line, column: at.column, scope: `${r.environment}/${r.cluster}` },
    };
  });
}
