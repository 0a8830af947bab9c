/**
 * @module The controller's API routes: each with the role it needs, what it does (the OpenAPI summary) and
 * the schema of its body — the same zod schemas validate requests and generate /v1/openapi.json.
 */
import type { Controller } from '../engine/controller.js';
import type { SpecSource } from '../spec/index.js';
import type { Role } from './api-tokens.js';
import type { ControllerMetrics } from './controller-metrics.js';
import { DASHBOARD_HEADERS, DashboardAssets } from './dashboard-assets.js';
import { openApiDocument } from './openapi.js';
import { platformRoutes } from './platform-routes.js';
import { releaseActionRoutes, releaseReadRoutes } from './release-routes.js';
import type { StreamOptions } from './release-stream.js';
import { parseWindow } from './request-bodies.js';
import { get, RawBody, type Route } from './route.js';

export interface RouteOptions {
  metrics?: ControllerMetrics | undefined;
  stream?: StreamOptions | undefined;
  dashboard?: DashboardAssets | undefined;
  /** The text of the controller's spec, where lint findings are placed. */
  specSource?: SpecSource | undefined;
}

export function apiRoutes(controller: Controller, options: RouteOptions): Route[] {
  const routes: Route[] = [
    get('/healthz', 'the health check', async () => ({ ok: true }), null),
    ...dashboardRoutes(options.dashboard ?? new DashboardAssets()),
    ...releaseReadRoutes(controller, options.stream),
    whoami,
    ...releaseActionRoutes(controller),
    ...platformRoutes(controller, options.specSource),
    ...(options.metrics ? [metricsRoute(options.metrics)] : []),
    get('/v1/dora', 'DORA delivery metrics over ?since=30d', async (_p, _b, url) =>
      controller.dora(Date.now() - parseWindow(url.searchParams.get('since') ?? '30d')),
    ),
    get('/v1/services', 'list services and versions', async () => controller.services()),
  ];
  routes.push(get('/v1/openapi.json', 'this document', async () => describe(routes), null));
  return routes;
}

/** The dashboard's page and files are open; everything it shows comes from the API with a token. */
function dashboardRoutes(assets: DashboardAssets): Route[] {
  const page = (name?: string) => {
    const a = assets.read(name);
    const cache = a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
    return new RawBody(a.body, a.contentType, { ...DASHBOARD_HEADERS, 'cache-control': cache });
  };
  return [
    get('/', 'the web dashboard', async () => page(), null),
    get('/assets/:file', "the dashboard's scripts and styles", async (p) => page(p['file']), null),
  ];
}

const whoami = get(
  '/v1/whoami',
  'who the caller is: name, role, the approval roles they hold',
  async (_p, _b, _u, caller) =>
    caller
      ? // Named fields only: a token's record also holds its hash.
        { authentication: true, name: caller.name, role: caller.role, approves: caller.approves ?? [] }
      : // No tokens and no issuer: the loopback API is open to this machine.
        { authentication: false, name: 'anonymous', role: 'admin' as Role, approves: [] },
);

const metricsRoute = (metrics: ControllerMetrics) =>
  get(
    '/metrics',
    "the controller's own metrics, for Prometheus",
    async () => new RawBody(await metrics.text(), metrics.contentType),
  );

function describe(routes: Route[]) {
  return openApiDocument(
    routes.map((r) => ({
      method: r.method,
      path: r.path,
      summary: r.what,
      role: r.role,
      ...(r.body ? { body: r.body } : {}),
    })),
    'v1',
  );
}
