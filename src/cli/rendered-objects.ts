/** @module The objects `lint` and `netpol` check: the spec's rendered objects, or Kubernetes YAML files. */
import type { SlipwayError } from '../errors/index.js';
import { SpecInvalidError } from '../spec/index.js';
import { readManifests } from '../manifests/read-manifests.js';
import type { LocatedObject } from '../render/k8s-object.js';
import { isClusterScoped } from '../render/object-access.js';
import { locatedObjects } from '../render/located-objects.js';
import { renderPlatform } from '../render/render-platform.js';
import { requireSpec } from '../spec/index.js';
import { splitList } from './options.js';

/** Rendered objects point at the spec entry that produced them; `scope` says for which cluster. */
export function renderedObjects(file: string, env: string | undefined): LocatedObject[] {
  const { spec, source } = requireSpec(file);
  const environments = splitList(env);
  return locatedObjects(renderPlatform(spec, environments ? { environments } : {}).objects, source);
}

/**
 * YAML files as given, and every unreadable or malformed document (or List item) with its place. When
 * nothing at all could be read, that is the error; otherwise the rest is still checked and the caller
 * reports the bad parts beside its findings.
 */
/**
 * Objects from files; those of a namespaced kind that name no namespace get `namespace` when given, as
 * `kubectl apply -n` would put them there.
 */
export function fileObjects(
  paths: string[],
  namespace?: string,
): { objects: LocatedObject[]; errors: SlipwayError[] } {
  const { objects, errors } = readManifests(paths);
  if (namespace)
    for (const { object } of objects)
      if (!object.metadata.namespace && !isClusterScoped(object)) object.metadata.namespace = namespace;
  if (objects.length === 0 && errors.length > 0) throw new SpecInvalidError(errors, 'the input');
  return { objects, errors };
}
