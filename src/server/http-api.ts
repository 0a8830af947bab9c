/**
 * @module The controller's HTTP API on Fastify: routing, body limits and parsing, pino request logs
 * (authorization redacted), and one error shape. The routes (api-routes.ts) validate bodies with the zod
 * schemas that also write the OpenAPI document; this module adds what every route shares — the
 * loopback/Origin/JSON guard and authentication, both before a body is read.
 */
import type { AddressInfo } from 'node:net';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Controller } from '../engine/controller.js';
import { errorHttpStatus, errorToJson, SlipwayError, toSlipwayError } from '../errors/index.js';
import { requireRole, type TokenRecord, type TokenStore } from './api-tokens.js';
import type { SpecSource } from '../spec/index.js';
import { apiRoutes } from './api-routes.js';
import { EventStream, RawBody, type Route } from './route.js';
import type { ControllerMetrics } from './controller-metrics.js';
import type { DashboardAssets } from './dashboard-assets.js';
import { type Caller, looksLikeJwt, type OidcVerifier } from './oidc.js';
import { sseMessage, type StreamOptions } from './release-stream.js';

export interface ApiOptions {
  /** API tokens (`slipway token create`); once one exists, every call needs a token. */
  tokens?: TokenStore;
  metrics?: ControllerMetrics;
  /** OIDC bearer tokens; with an issuer configured, every call needs a token. */
  oidc?: OidcVerifier;
  stream?: StreamOptions;
  dashboard?: DashboardAssets;
  /** The text of the controller's spec, where lint findings are placed. */
  specSource?: SpecSource;
  /** Request logs (pino); none by default. */
  logger?: Logger;
  /** HTTPS (PEM key and certificate): required to listen beyond loopback. */
  tls?: { key: Buffer; cert: Buffer };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string) => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

/** What a request log must never hold (pino `redact` paths). */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

/** The most a request body may hold. */
const MAX_BODY_BYTES = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    slipway?: Route;
  }
}

/** Fastify's own errors in this API's words. */
const FRAMEWORK_ERRORS: Record<string, () => SlipwayError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new SlipwayError('API_BODY_TOO_LARGE', `the request body has more than ${MAX_BODY_BYTES} bytes`),
  FST_ERR_BAD_URL: () => new SlipwayError('API_BAD_PATH', 'the path is not validly encoded'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new SlipwayError('API_NOT_JSON', 'a POST must be Content-Type: application/json'),
};

const frameworkError = (error: { code?: string }) => FRAMEWORK_ERRORS[error.code ?? '']?.();

export class HttpApi {
  private readonly app: FastifyInstance;
  private readonly routes: Route[];
  private readonly tokens: TokenStore | undefined;
  private readonly metrics: ControllerMetrics | undefined;
  private readonly oidc: OidcVerifier | undefined;
  private readonly tls: boolean;
  /** Whether it listens beyond loopback (then TLS and tokens are required, and any Host is answered). */
  private exposed = false;

  constructor(controller: Controller, options: ApiOptions = {}) {
    this.tokens = options.tokens;
    this.metrics = options.metrics;
    this.oidc = options.oidc;
    this.routes = apiRoutes(controller, options);
    this.tls = options.tls !== undefined;
    // Fastify types an HTTPS server apart; the routes and hooks are the same.
    this.app = Fastify({
      ...(options.tls ? { https: options.tls } : {}),
      bodyLimit: MAX_BODY_BYTES,
      forceCloseConnections: true,
      ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    });
    this.app.removeAllContentTypeParsers();
    // An empty JSON body is {} (the CLI's bare POSTs); anything unparsable is a located 400.
    this.app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
      if (!text) return done(null, {});
      try {
        done(null, JSON.parse(text as string) as unknown);
      } catch {
        done(new SlipwayError('API_BAD_JSON', 'the request body is not JSON'), undefined);
      }
    });
    this.app.addHook('onRequest', async (request) => this.admit(request));
    this.app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.config.slipway;
      this.metrics?.request(request.method, route?.path ?? 'none', reply.statusCode);
    });
    this.app.setNotFoundHandler(async (request, reply) => {
      const error = new SlipwayError(
        'API_NO_ROUTE',
        `no route ${request.method} ${request.url.split('?')[0]}`,
      );
      return reply.code(errorHttpStatus(error)).send({ error: errorToJson(error) });
    });
    this.app.setErrorHandler(async (thrown: Error & { code?: string }, _request, reply) => {
      const error = frameworkError(thrown) ?? toSlipwayError(thrown);
      if (error.code === 'API_BODY_TOO_LARGE') reply.header('connection', 'close');
      return reply.code(errorHttpStatus(error)).send({ error: errorToJson(error) });
    });
    for (const route of this.routes) this.register(route);
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    if (!isLoopback(host)) {
      if (!this.tls)
        throw new SlipwayError(
          'SERVE_NEEDS_TLS',
          `listening on ${host} needs TLS: --tls-cert and --tls-key`,
          {
            hint: 'beyond loopback, tokens and approvals must not cross the network in clear text',
          },
        );
      if (!this.oidc && (this.tokens?.list().filter((t) => !t.revokedAt).length ?? 0) === 0)
        throw new SlipwayError('SERVE_NEEDS_AUTH', `listening on ${host} needs authentication`, {
          hint: '`slipway token create --name NAME --role admin` first, or --oidc-issuer',
        });
      this.exposed = true;
    }
    try {
      await this.app.listen({ port, host });
    } catch (e) {
      throw (e as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? new SlipwayError('SERVE_PORT_IN_USE', `port ${port} is in use`, {
            hint: 'another `slipway serve`? pick one with --port',
          })
        : e;
    }
    const shown = host.includes(':') ? `[${host}]` : host;
    return `${this.tls ? 'https' : 'http'}://${shown}:${(this.app.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  private register(route: Route): void {
    this.app.route({
      method: route.method,
      url: route.path,
      config: { slipway: route },
      handler: async (request, reply) => {
        const url = new URL(request.url, 'http://localhost');
        const result = await route.handler(
          request.params as Record<string, string>,
          request.body ?? {},
          url,
          request.caller,
          request.headers,
        );
        if (result instanceof EventStream) return this.stream(reply, result);
        if (result instanceof RawBody)
          return reply.headers(result.headers).type(result.contentType).send(result.body);
        return reply.type('application/json').send(JSON.stringify(result));
      },
    });
  }

  /**
   * Before any body is read. A loopback API is still reachable from every web page the operator visits:
   * a cross-site form POST (text/plain, no preflight) or a DNS-rebound name would act as them. So: the
   * Host must be this loopback address, an Origin (which browsers send cross-site) must be this one, a
   * POST must be JSON — which a browser only sends cross-site after a preflight this API never grants —
   * and, once tokens exist, the caller must hold the route's role.
   */
  private async admit(request: FastifyRequest): Promise<void> {
    const port = (this.app.server.address() as AddressInfo | null)?.port;
    const host = request.headers.host ?? '';
    // Exposed (TLS, tokens required): every name the server is reached by is its own; a bearer token is
    // never sent by a browser on its own, so a rebound name gains nothing.
    const own = this.exposed ? [host] : [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    const scheme = this.tls ? 'https' : 'http';
    if (!own.includes(host))
      throw new SlipwayError('API_BAD_HOST', `Host ${JSON.stringify(host)} is not this controller`, {
        hint: 'the API answers only on its loopback address (a guard against DNS rebinding)',
      });
    const origin = request.headers.origin;
    if (origin !== undefined && !own.some((h) => origin === `${scheme}://${h}`))
      throw new SlipwayError('API_CROSS_ORIGIN', `requests from ${JSON.stringify(origin)} are refused`, {
        hint: 'the API is for the slipway CLI and its dashboard, not for other web pages',
      });
    if (request.method === 'POST' && !/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
      throw new SlipwayError('API_NOT_JSON', 'a POST must be Content-Type: application/json');
    const route = request.routeOptions.config.slipway;
    if (!route?.role) return;
    // One read of the token file per request: it says whether authentication is on, and who calls.
    const records = this.tokens?.list() ?? [];
    if (records.length === 0 && !this.oidc) {
      if (this.exposed)
        throw new SlipwayError('API_UNAUTHENTICATED', 'this controller has no live tokens left');
      return;
    }
    request.caller = await this.authenticate(request.headers.authorization, records);
    requireRole(request.caller, route.role, route.what);
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

  private async stream(reply: FastifyReply, stream: EventStream): Promise<void> {
    reply.hijack(); // Fastify's onResponse does not see a hijacked reply: count it here
    this.metrics?.request('GET', reply.request.routeOptions.config.slipway?.path ?? 'none', 200);
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
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
}
