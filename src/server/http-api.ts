/**
 * @module The controller's HTTP API, which the CLI talks to. Plain node:http: ten JSON routes do not need
 * a framework (and Fastify 5's current dependency tree wants Node 22).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Controller, ReleaseView } from '../engine/controller.js';
import { errorHttpStatus, errorToJson, SlipwayError, toSlipwayError } from '../errors/index.js';
import {
  requireApprovalRole,
  requireRole,
  type Role,
  type TokenRecord,
  type TokenStore,
} from './api-tokens.js';
import { openApiDocument } from './openapi.js';
import { type BODIES, parseBody, parseWindow } from './request-bodies.js';
import type { ControllerMetrics } from './controller-metrics.js';
import { type Caller, looksLikeJwt, type OidcVerifier } from './oidc.js';
import { serializeView } from './views.js';
import { DASHBOARD_HEADERS, DashboardAssets } from './dashboard-assets.js';
import { sseMessage, type StreamOptions, streamRelease } from './release-stream.js';

type Handler = (
  params: Record<string, string>,
  body: unknown,
  url: URL,
  caller: Caller | undefined,
  headers: IncomingMessage['headers'],
) => Promise<unknown>;

/** A response that is not JSON (the Prometheus exposition of /metrics). */
class RawBody {
  constructor(
    readonly body: string | Buffer,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A response streamed as Server-Sent Events until `run` returns or the client goes away. */
class EventStream {
  constructor(readonly run: (write: (chunk: string) => void, signal: AbortSignal) => Promise<void>) {}
}

export interface ApiOptions {
  /** API tokens (`slipway token create`); once one exists, every call needs a token. */
  tokens?: TokenStore;
  metrics?: ControllerMetrics;
  /** OIDC bearer tokens; with an issuer configured, every call needs a token. */
  oidc?: OidcVerifier;
  stream?: StreamOptions;
  dashboard?: DashboardAssets;
}

/** The most a request body may hold. */
const MAX_BODY_BYTES = 1024 * 1024;

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new SlipwayError('API_BAD_PATH', `"${part.slice(0, 80)}" is not a valid path segment`);
  }
}

export class HttpApi {
  private readonly server: Server;
  private readonly routes: {
    method: string;
    path: string;
    pattern: RegExp;
    keys: string[];
    /** The role a caller needs once tokens exist; null: open (the health check). */
    role: Role | null;
    what: string;
    body: keyof typeof BODIES | undefined;
    handler: Handler;
  }[] = [];

  private readonly tokens: TokenStore | undefined;
  private readonly metrics: ControllerMetrics | undefined;
  private readonly oidc: OidcVerifier | undefined;

  constructor(controller: Controller, options: ApiOptions = {}) {
    this.tokens = options.tokens;
    this.metrics = options.metrics;
    this.oidc = options.oidc;
    const metrics = options.metrics;
    const view = (v: ReleaseView) => serializeView(v);
    // With tokens, the token's name is who acted, whatever the body says.
    const actor = (body: { actor?: string | undefined }, caller: Caller | undefined) =>
      caller?.name ?? body.actor ?? 'anonymous';
    this.route('GET', '/healthz', async () => ({ ok: true }), null, 'the health check');
    // The dashboard's page and files are open; everything it shows comes from the API with a token.
    const assets = options.dashboard ?? new DashboardAssets();
    const page = (name?: string) => {
      const a = assets.read(name);
      const cache = a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache';
      return new RawBody(a.body, a.contentType, { ...DASHBOARD_HEADERS, 'cache-control': cache });
    };
    this.route('GET', '/', async () => page(), null, 'the web dashboard');
    this.route(
      'GET',
      '/assets/:file',
      async (p) => page(p['file']),
      null,
      "the dashboard's scripts and styles",
    );
    this.route('GET', '/v1/releases', async (_p, _b, url) => {
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
    this.route(
      'POST',
      '/v1/releases',
      async (_p, raw, _u, caller) => {
        const body = parseBody('release', raw);
        const { changes, environments } = body.request;
        return view(
          await controller.release(
            { changes, ...(environments ? { environments } : {}) },
            actor(body, caller),
          ),
        );
      },
      'operator',
      'start a release',
      'release',
    );
    this.route('GET', '/v1/releases/:id', async (p) => view(await controller.get(p['id']!)));
    this.route('GET', '/v1/releases/:id/events', async (p, _b, url) => {
      const after = Number(url.searchParams.get('after') ?? 0);
      return controller.events(p['id']!, after);
    });
    this.route(
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
    this.route(
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
    this.route(
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
    this.route(
      'POST',
      '/v1/releases/:id/promote',
      async (p, raw, _u, caller) =>
        view(await controller.promote(p['id']!, actor(parseBody('promote', raw), caller))),
      'operator',
      'promote a release',
      'promote',
    );
    this.route(
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
    this.route(
      'POST',
      '/v1/releases/:id/diagnostics',
      async (p, raw, _u, caller) => controller.diagnose(p['id']!, actor(parseBody('diagnose', raw), caller)),
      'operator',
      "write the release's diagnostics bundle",
      'diagnose',
    );
    this.route(
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
    if (metrics)
      this.route(
        'GET',
        '/metrics',
        async () => new RawBody(await metrics.text(), metrics.contentType),
        'viewer',
        "the controller's own metrics, for Prometheus",
      );
    this.route(
      'GET',
      '/v1/dora',
      async (_p, _b, url) => {
        const since = url.searchParams.get('since') ?? '30d';
        return controller.dora(Date.now() - parseWindow(since));
      },
      'viewer',
      'DORA delivery metrics over ?since=30d',
    );
    this.route(
      'GET',
      '/v1/services',
      async () => controller.services(),
      'viewer',
      'list services and versions',
    );
    this.route(
      'GET',
      '/v1/openapi.json',
      async () =>
        openApiDocument(
          this.routes.map((r) => ({
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
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'EADDRINUSE'
            ? new SlipwayError('SERVE_PORT_IN_USE', `port ${port} is in use`, {
                category: 'infrastructure',
                hint: 'another `slipway serve`? pick one with --port',
              })
            : e,
        ),
      );
      this.server.listen(port, host, () => resolve());
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /**
   * A loopback API is still reachable from every web page the operator visits: a cross-site form POST
   * (text/plain, no preflight) or a DNS-rebound name would act as them. So: the Host must be this
   * loopback address, an Origin (which browsers send cross-site) must be this one, and a POST must be
   * JSON — which a browser only sends cross-site after a preflight this API never grants.
   */
  private guard(req: IncomingMessage): void {
    const port = (this.server.address() as AddressInfo | null)?.port;
    const own = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!own.includes(req.headers.host ?? ''))
      throw new SlipwayError(
        'API_BAD_HOST',
        `Host ${JSON.stringify(req.headers.host ?? '')} is not this controller`,
        {
          hint: 'the API answers only on its loopback address (a guard against DNS rebinding)',
        },
      );
    const origin = req.headers.origin;
    if (origin !== undefined && !own.some((h) => origin === `http://${h}`))
      throw new SlipwayError('API_CROSS_ORIGIN', `requests from ${JSON.stringify(origin)} are refused`, {
        hint: 'the API is for the slipway CLI, not for web pages',
      });
    if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      throw new SlipwayError('API_NOT_JSON', 'a POST must be Content-Type: application/json');
  }

  private async stream(res: ServerResponse, stream: EventStream, path: string): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    this.metrics?.request('GET', path, 200);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const write = (chunk: string) => {
      if (!res.destroyed) res.write(chunk);
    };
    try {
      await stream.run(write, gone.signal);
    } catch (thrown) {
      // The status line is gone: the error travels as an event the client shows.
      write(sseMessage('error', errorToJson(toSlipwayError(thrown))));
    } finally {
      res.end();
    }
  }

  /** A JWT goes to the OIDC issuer's keys (when configured), anything else to the token file. */
  private async authenticate(authorization: string | undefined, records: TokenRecord[]): Promise<Caller> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (bearer && this.oidc && looksLikeJwt(bearer)) return this.oidc.authenticate(bearer);
    if (!this.tokens)
      throw new SlipwayError(
        'API_UNAUTHENTICATED',
        'this controller takes OIDC tokens: Authorization: Bearer <JWT>',
      );
    return this.tokens.authenticate(authorization, Date.now(), records);
  }

  private route(
    method: string,
    path: string,
    handler: Handler,
    role: Role | null = 'viewer',
    what = 'read releases',
    body?: keyof typeof BODIES,
  ): void {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}$`);
    this.routes.push({ method, path, pattern, keys, role, what, body, handler });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let route: (typeof this.routes)[number] | undefined;
    const send = (status: number, body: unknown) => {
      if (body instanceof RawBody)
        res.writeHead(status, { ...body.headers, 'content-type': body.contentType }).end(body.body);
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      this.metrics?.request(req.method ?? '', route?.path ?? 'none', status);
    };
    try {
      this.guard(req);
      route = this.routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route)
        return send(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } });
      let caller: Caller | undefined;
      // One read of the token file per request: it says whether authentication is on, and who calls.
      const records = route.role ? (this.tokens?.list() ?? []) : [];
      if (route.role && (records.length > 0 || this.oidc)) {
        caller = await this.authenticate(req.headers.authorization, records);
        requireRole(caller, route.role, route.what);
      }
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodePart(match[i + 1]!)]));
      let body: unknown = {};
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of req) {
          size += (chunk as Buffer).length;
          if (size > MAX_BODY_BYTES) {
            res.setHeader('connection', 'close');
            throw new SlipwayError(
              'API_BODY_TOO_LARGE',
              `the request body has more than ${MAX_BODY_BYTES} bytes`,
            );
          }
          chunks.push(chunk as Buffer);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        if (text) {
          try {
            body = JSON.parse(text) as unknown;
          } catch {
            throw new SlipwayError('API_BAD_JSON', 'the request body is not JSON');
          }
        }
      }
      const result = await route.handler(params, body, url, caller, req.headers);
      if (result instanceof EventStream) return await this.stream(res, result, route.path);
      send(200, result);
    } catch (thrown) {
      const error = toSlipwayError(thrown);
      send(errorHttpStatus(error), { error: errorToJson(error) });
    }
  }
}
