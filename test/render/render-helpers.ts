/** Renders an example and finds objects in the result. */
import { renderPlatform, type RenderedObject } from '../../src/render/render-platform.js';
import { requireSpec } from '../../src/spec/index.js';

export function renderExample(name: string, environments?: string[]): RenderedObject[] {
  const { spec } = requireSpec(`examples/${name}/slipway.yaml`);
  return renderPlatform(spec, environments ? { environments } : {}).objects;
}

export function find(
  objects: RenderedObject[],
  kind: string,
  name: string,
  environment?: string,
): Record<string, unknown> {
  const found = objects.find(
    (o) =>
      o.object.kind === kind &&
      o.object.metadata.name === name &&
      (!environment || o.environment === environment),
  );
  if (!found) throw new Error(`no ${kind} ${name}${environment ? ` in ${environment}` : ''}`);
  return found.object as Record<string, unknown>;
}
