/**
 * @module The controller's API routes: each with the role it needs, what it does (the OpenAPI summary) and
 * the schema of its body — the same zod schemas validate requests and generate /v1/openapi.json.
 */
import type { IncomingMessage } from 'node:http';
import type { Controller, ReleaseView } from '../engine/controller.js';
import type { SpecSource } from '../spec/index.js';
import { requireApprovalRole, type Role } from './api-tokens.js';
import type { ControllerMetrics } from './controller-metrics.js';
import { DASHBOARD_HEADERS, DashboardAssets } from './dashboard-assets.js';
import type { Caller } from './oidc.js';
import { openApiDocument } from './openapi.js';
import { platformRoutes } from './platform-routes.js';
import { type StreamOptions, streamRelease } from './release-stream.js';
import { type BODIES, parseBody, parseWindow } from './request-bodies.js';
import { serializeView } from './views.js';

export type Handler = (
  params: Record<string, string>,
  body: unknown,
  url: URL,
  caller: Caller | undefined,
  headers: IncomingMessage['headers'],
) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** The role a caller needs once tokens exist; null: open (the health check, the dashboard's files). */
  role: Role | null;
  what: string;
  body: keyof typeof BODIES | undefined;
  handler: Handler;
}

/** A response that is not JSON (the dashboard's files, the Prometheus exposition of /metrics). */
export class RawBody {
  constructor(
    readonly body: string | Buffer,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A response streamed as Server-Sent Events until `run` returns or the client goes away. */
export class EventStream {
  constructor(readonly run: (write: (chunk: string) => void, signal: AbortSignal) => Promise<void>) {}
}

export interface RouteOptions {
  metrics?: ControllerMetrics | undefined;
  stream?: StreamOptions | undefined;
  dashboard?: DashboardAssets | undefined;
  /** The text of the controller's spec, where lint findings are placed. */
  specSource?: SpecSource | undefined;
}

export function apiRoutes(controller: Controller, options: RouteOptions): Route[] {
  const routes: Route[] = [];
  const route = (
    method: 'GET' | 'POST',
    path: string,
    handler: Handler,
    role: Role | null = 'viewer',
    what = 'read releases',
    body?: keyof typeof BODIES,
  ) => routes.push({ method, path, role, what, body, handler });
  const metrics = options.metrics;
  const view = (v: ReleaseView) => serializeView(v);
  // With tokens, the token's name is who acted, whatever the body says.
  const actor = (body: { actor?: string | undefined }, caller: Caller | undefined) =>
    caller?.name ?? body.actor ?? 'anonymous';
  route('GET', '/healthz', async () => ({ ok: true }), null, 'the health check');
  // The dashboard's page and files are open; everything it shows comes from the API with a token.
  const assets = options.dashboard ?? new DashboardAssets();
  const page = (name?: string) => {
    const a = assets.read(name);
    const cache = a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
    return new RawBody(a.body, a.contentType, { ...DASHBOARD_HEADERS, 'cache-control': cache });
  };
  route('GET', '/', async () => page(), null, 'the web dashboard');
  route('GET', '/assets/:file', async (p) => page(p['file']), null, "the dashboard's scripts and styles");
  route('GET', '/v1/releases', async (_p, _b, url) => {
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 50) || 50, 1), 1_000_000);
    const records = await controller.list(limit);
    // full=1: the records as stored (request and plan too), for an audit export.
    if (url.searchParams.get('full') === '1') return records;
    return records.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      changes: (r.plan as { request?: { changes?: unknown } }).request?.changes,
    }));
  });
  route(
    'POST',
    '/v1/releases',
    async (_p, raw, _u, caller) => {
      const body = parseBody('release', raw);
      const { changes, environments } = body.request;
      return view(
        await controller.release({ changes, ...(environments ? { environments } : {}) }, actor(body, caller)),
      );
    },
    'operator',
    'start a release',
    'release',
  );
  route('GET', '/v1/releases/:id', async (p) => view(await controller.get(p['id']!)));
  route('GET', '/v1/releases/:id/events', async (p, _b, url) => {
    const after = Number(url.searchParams.get('after') ?? 0);
    return controller.events(p['id']!, after);
  });
  route(
    'GET',
    '/v1/releases/:id/stream',
    async (p, _b, url, _c, headers) => {
      await controller.get(p['id']!); // an unknown release is a 404, not an empty stream
      const after = Number(headers['last-event-id'] ?? url.searchParams.get('after') ?? 0) || 0;
      return new EventStream((write, signal) =>
        streamRelease(controller, p['id']!, after, write, signal, options.stream),
      );
    },
    'viewer',
    "follow a release's events live (Server-Sent Events; resumes after Last-Event-ID)",
  );
  route(
    'GET',
    '/v1/whoami',
    async (_p, _b, _u, caller) =>
      caller
        ? // Named fields only: a token's record also holds its hash.
          { authentication: true, name: caller.name, role: caller.role, approves: caller.approves ?? [] }
        : // No tokens and no issuer: the loopback API is open to this machine.
          { authentication: false, name: 'anonymous', role: 'admin' as Role, approves: [] },
    'viewer',
    'who the caller is: name, role, the approval roles they hold',
  );
  route(
    'POST',
    '/v1/releases/:id/approve',
    async (p, raw, _u, caller) => {
      const body = parseBody('approve', raw);
      const needed = await controller.approvalRole(p['id']!, body.environment);
      if (needed) requireApprovalRole(caller, needed);
      return view(await controller.approve(p['id']!, actor(body, caller), body.environment));
    },
    'approver',
    'approve a release',
    'approve',
  );
  route(
    'POST',
    '/v1/releases/:id/promote',
    async (p, raw, _u, caller) =>
      view(await controller.promote(p['id']!, actor(parseBody('promote', raw), caller))),
    'operator',
    'promote a release',
    'promote',
  );
  route(
    'POST',
    '/v1/releases/:id/abort',
    async (p, raw, _u, caller) => {
      const body = parseBody('abort', raw);
      return view(await controller.abort(p['id']!, actor(body, caller), body.reason || 'aborted'));
    },
    'operator',
    'abort a release',
    'abort',
  );
  route(
    'POST',
    '/v1/releases/:id/diagnostics',
    async (p, raw, _u, caller) => controller.diagnose(p['id']!, actor(parseBody('diagnose', raw), caller)),
    'operator',
    "write the release's diagnostics bundle",
    'diagnose',
  );
  route(
    'POST',
    '/v1/rollback',
    async (_p, raw, _u, caller) => {
      const body = parseBody('rollback', raw);
      const r = body.request;
      return view(
        await controller.rollback(
          {
            ...(r.service ? { service: r.service } : {}),
            ...(r.to ? { to: r.to } : {}),
            ...(r.environments ? { environments: r.environments } : {}),
            ...(r.release ? { release: r.release } : {}),
          },
          actor(body, caller),
        ),
      );
    },
    'operator',
    'roll back',
    'rollback',
  );
  routes.push(...platformRoutes(controller, options.specSource));
  if (metrics)
    route(
      'GET',
      '/metrics',
      async () => new RawBody(await metrics.text(), metrics.contentType),
      'viewer',
      "the controller's own metrics, for Prometheus",
    );
  route(
    'GET',
    '/v1/dora',
    async (_p, _b, url) => {
      const since = url.searchParams.get('since') ?? '30d';
      return controller.dora(Date.now() - parseWindow(since));
    },
    'viewer',
    'DORA delivery metrics over ?since=30d',
  );
  route('GET', '/v1/services', async () => controller.services(), 'viewer', 'list services and versions');
  route(
    'GET',
    '/v1/openapi.json',
    async () =>
      openApiDocument(
        routes.map((r) => ({
          method: r.method,
          path: r.path,
          summary: r.what,
          role: r.role,
          ...(r.body ? { body: r.body } : {}),
        })),
        'v1',
      ),
    null,
    'this document',
  );
  return routes;
}
