/** @module Images are pinned: a tag other than `latest`, or a digest. */
import { isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer, WITH_INIT } from './helpers.js';

/** The tag of an image reference (`registry:5000/app:1.2` → `1.2`), undefined when untagged. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '@digest';
  const last = image.split('/').pop() ?? '';
  const colon = last.lastIndexOf(':');
  return colon < 0 ? undefined : last.slice(colon + 1);
}

export const imageTagRule: Rule = {
  id: 'image-tag',
  severity: 'error',
  title: 'Image is untagged or uses :latest',
  rationale:
    'A floating tag makes a rollback redeploy whatever the registry holds now, and two replicas may run different code.',
  fix: 'Pin the image: set services.<name>.version (rendered as image:version) or use an immutable tag or digest.',
  manifestFix: 'Pin the image to an immutable tag or a digest (image: registry/app:1.4.2 or @sha256:…).',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(
          object,
          (c) => {
            const image = c.container['image'];
            if (typeof image !== 'string')
              return { message: `container "${c.name}" has no image`, path: containerPath(object, c) };
            const tag = imageTag(image);
            if (tag === undefined)
              return {
                message: `image "${image}" of "${c.name}" has no tag (means :latest)`,
                path: containerPath(object, c, 'image'),
              };
            if (tag === 'latest')
              return {
                message: `image "${image}" of "${c.name}" uses :latest`,
                path: containerPath(object, c, 'image'),
              };
            return undefined;
          },
          WITH_INIT,
        ),
};
