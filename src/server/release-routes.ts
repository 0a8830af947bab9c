/** @module The API's calls on releases: reading them (list, one, its events, its live stream) and acting on them. */
import type { Controller, ReleaseView } from '../engine/controller.js';
import { requireApprovalRole } from './api-tokens.js';
import { type StreamOptions, streamRelease } from './release-stream.js';
import { parseBody } from './request-bodies.js';
import { actor, EventStream, get, post, type Route } from './route.js';
import { serializeView } from './views.js';

const view = (v: ReleaseView) => serializeView(v);

export function releaseReadRoutes(controller: Controller, stream: StreamOptions | undefined): Route[] {
  return [
    get('/v1/releases', 'read releases', async (_p, _b, url) => {
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
    }),
    get('/v1/releases/:id', 'read releases', async (p) => view(await controller.get(p['id']!))),
    get('/v1/releases/:id/events', 'read releases', async (p, _b, url) =>
      controller.events(p['id']!, Number(url.searchParams.get('after') ?? 0)),
    ),
    get(
      '/v1/releases/:id/stream',
      "follow a release's events live (Server-Sent Events; resumes after Last-Event-ID)",
      async (p, _b, url, _c, headers) => {
        await controller.get(p['id']!); // an unknown release is a 404, not an empty stream
        const after = Number(headers['last-event-id'] ?? url.searchParams.get('after') ?? 0) || 0;
        return new EventStream((write, signal) =>
          streamRelease(controller, p['id']!, after, write, signal, stream),
        );
      },
    ),
  ];
}

export function releaseActionRoutes(controller: Controller): Route[] {
  return [
    post('/v1/releases', 'start a release', 'operator', 'release', async (_p, raw, _u, caller) => {
      const body = parseBody('release', raw);
      const { changes, environments } = body.request;
      return view(
        await controller.release({ changes, ...(environments ? { environments } : {}) }, actor(body, caller)),
      );
    }),
    post(
      '/v1/releases/:id/approve',
      'approve a release',
      'approver',
      'approve',
      async (p, raw, _u, caller) => {
        const body = parseBody('approve', raw);
        const needed = await controller.approvalRole(p['id']!, body.environment);
        if (needed) requireApprovalRole(caller, needed);
        return view(await controller.approve(p['id']!, actor(body, caller), body.environment));
      },
    ),
    post('/v1/releases/:id/promote', 'promote a release', 'operator', 'promote', async (p, raw, _u, caller) =>
      view(await controller.promote(p['id']!, actor(parseBody('promote', raw), caller))),
    ),
    post('/v1/releases/:id/abort', 'abort a release', 'operator', 'abort', async (p, raw, _u, caller) => {
      const body = parseBody('abort', raw);
      return view(await controller.abort(p['id']!, actor(body, caller), body.reason || 'aborted'));
    }),
    post(
      '/v1/releases/:id/diagnostics',
      "write the release's diagnostics bundle",
      'operator',
      'diagnose',
      async (p, raw, _u, caller) => controller.diagnose(p['id']!, actor(parseBody('diagnose', raw), caller)),
    ),
    post('/v1/rollback', 'roll back', 'operator', 'rollback', async (_p, raw, _u, caller) => {
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
    }),
  ];
}
