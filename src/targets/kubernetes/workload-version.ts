/** @module The version a workload runs, read from its first container's image tag or digest. */
import type { K8sObject } from '../../render/k8s-object.js';
import { containersOf } from '../../render/object-access.js';

/** `registry/app:v2` → `v2`; `registry/app@sha256:…` → `sha256:…`. */
export function versionOfImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const last = image.split('/').pop() ?? '';
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

/** The first container's image of a workload (render's reader of pod templates). */
export const imageOf = (o: K8sObject): string | undefined => {
  const image = containersOf(o, ['containers'])[0]?.container['image'];
  return typeof image === 'string' ? image : undefined;
};

/** The version a live workload runs, from its image. */
export const versionOf = (live: K8sObject | undefined) => (live ? versionOfImage(imageOf(live)) : undefined);
