/** @module Spec paths: `services.api.health.readiness`, `steps[2]`, `files["/etc/app.conf"]`. */

export type SpecPath = readonly (string | number)[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function formatPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  if (out === '') return '(root)';
  // A hostile file can make a path of thousands of segments; the start says where it is.
  return out.length > 160 ? `${out.slice(0, 160)}…` : out;
}
