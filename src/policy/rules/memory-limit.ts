/** @module Containers limit memory (and, where set, limits are not below requests). */
import { dig, isWorkload } from '../../render/object-access.js';
import { parseCpu, parseMemory } from '../../spec/units.js';
import type { Rule } from '../rule.js';
import { containerPath, eachContainer, WITH_INIT } from './helpers.js';

function below(request: unknown, limit: unknown, parse: (v: string) => number): boolean {
  try {
    return request !== undefined && limit !== undefined && parse(String(limit)) < parse(String(request));
  } catch {
    return false;
  }
}

export const memoryLimit: Rule = {
  id: 'memory-limit',
  severity: 'warning',
  title: 'Container has no memory limit, or a limit below its request',
  rationale:
    'A leak in one container without a memory limit takes the node down with every other pod on it; a limit below the request is rejected by the API server.',
  fix: 'Set services.<name>.resources.limits.memory (or resources.limits.memory) at or above the request.',
  manifestFix: 'Set resources.limits.memory on each container, at or above its request.',
  check: (object) =>
    !isWorkload(object)
      ? []
      : eachContainer(
          object,
          (c) => {
            const r = dig(c.container, 'resources', 'requests');
            const l = dig(c.container, 'resources', 'limits');
            if (dig(l, 'memory') === undefined)
              return {
                message: `container "${c.name}" has no memory limit`,
                path: containerPath(object, c, 'resources'),
              };
            if (
              below(dig(r, 'memory'), dig(l, 'memory'), parseMemory) ||
              below(dig(r, 'cpu'), dig(l, 'cpu'), parseCpu)
            )
              return {
                message: `container "${c.name}" has a limit below its request`,
                path: containerPath(object, c, 'resources', 'limits'),
              };
            return undefined;
          },
          WITH_INIT,
        ),
};
