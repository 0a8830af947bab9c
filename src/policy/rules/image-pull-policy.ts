/** @module A pinned image is not pulled on every start. */
import { isWorkload } from '../../render/object-access.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer } from './helpers.js';
import { imageTag } from './image-tag.js';

export const imagePullPolicy: Rule = {
  id: 'image-pull-policy',
  severity: 'info',
  title: 'imagePullPolicy Always on a pinned image',
  rationale:
    'Always makes every restart depend on the registry being up, although a pinned tag never changes.',
  fix: 'Use imagePullPolicy: IfNotPresent with immutable tags.',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(object, (c) => {
          const image = String(c.container['image'] ?? '');
          const tag = imageTag(image);
          return c.container['imagePullPolicy'] === 'Always' && tag !== undefined && tag !== 'latest'
            ? {
                message: `"${c.name}" pulls the pinned image ${image} on every start`,
                path: containerPath(object, c, 'imagePullPolicy'),
              }
            : undefined;
        }),
};
