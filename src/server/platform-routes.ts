/**
 * @module The API's read-only calls on the controller's platform spec: the plan a release would run now,
 * the rendered objects and their lint — the same functions `slipway plan`, `render` and `lint` run.
 */
import type { Controller } from '../engine/controller.js';
import { lint } from '../policy/lint.js';
import { lintToWire } from '../policy/lint-wire.js';
import { selectRules } from '../policy/select-rules.js';
import { locatedObjects } from '../render/located-objects.js';
import { renderPlatform } from '../render/render-platform.js';
import type { SpecSource } from '../spec/index.js';
import { parseBody } from './request-bodies.js';
import { type Handler, post, type Route } from './route.js';

const route = (path: string, what: string, body: Route['body'], handler: Handler): Route =>
  post(path, what, 'viewer', body, handler);

/** `source` places lint findings in the spec's text (else at its first line). */
export function platformRoutes(controller: Controller, source: SpecSource | undefined): Route[] {
  const rendered = (environments: string[] | undefined) =>
    renderPlatform(controller.spec, environments ? { environments } : {});
  return [
    route('/v1/plan', 'the plan a release would run now, without starting it', 'plan', async (_p, raw) => {
      const body = parseBody('plan', raw);
      return controller.plan(body.request, body.from);
    }),
    route(
      '/v1/render',
      "the objects the controller's spec renders (with their environment, cluster and spec path)",
      'render',
      async (_p, raw) => {
        const { objects, notes } = rendered(parseBody('render', raw).environments);
        // Every environment of the spec, so a client writing --out knows which of its files are stale.
        return { objects, notes, environments: Object.keys(controller.spec.environments) };
      },
    ),
    route('/v1/lint', "the lint of what the controller's spec renders", 'lint', async (_p, raw) => {
      const body = parseBody('lint', raw);
      const located = locatedObjects(rendered(body.environments).objects, source);
      return lintToWire(lint(located, selectRules(body.only, body.disable)));
    }),
  ];
}
