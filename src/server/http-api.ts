/**
 * @module The controller's HTTP API, which the CLI talks to. Plain node:http: ten JSON routes do not need
 * a framework (and Fastify 5's current dependency tree wants Node 22).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Controller, ReleaseView } from '../engine/controller.js';
import { errorHttpStatus, errorToJson, SlipwayError, toSlipwayError } from '../errors/index.js';
import { serializeView } from './views.js';

type Handler = (params: Record<string, string>, body: Record<string, unknown>, url: URL) => Promise<unknown>;

export class HttpApi {
  private readonly server: Server;
  private readonly routes: { method: string; pattern: RegExp; keys: string[]; handler: Handler }[] = [];

  constructor(controller: Controller) {
    const view = (v: ReleaseView) => serializeView(v);
    const actor = (body: Record<string, unknown>) =>
      typeof body['actor'] === 'string' && body['actor'] ? body['actor'] : 'anonymous';
    this.route('GET', '/healthz', async () => ({ ok: true }));
    this.route('GET', '/v1/releases', async () =>
      (await controller.list()).map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        createdAt: r.createdAt,
        createdBy: r.createdBy,
        changes: (r.plan as { request?: { changes?: unknown } }).request?.changes,
      })),
    );
    this.route('POST', '/v1/releases', async (_p, body) =>
      view(await controller.release(body['request'] as never, actor(body))),
    );
    this.route('GET', '/v1/releases/:id', async (p) => view(await controller.get(p['id']!)));
    this.route('GET', '/v1/releases/:id/events', async (p, _b, url) => {
      const after = Number(url.searchParams.get('after') ?? 0);
      return controller.events(p['id']!, after);
    });
    this.route('POST', '/v1/releases/:id/approve', async (p, body) =>
      view(await controller.approve(p['id']!, actor(body), body['environment'] as string | undefined)),
    );
    this.route('POST', '/v1/releases/:id/promote', async (p, body) =>
      view(await controller.promote(p['id']!, actor(body))),
    );
    this.route('POST', '/v1/releases/:id/abort', async (p, body) =>
      view(await controller.abort(p['id']!, actor(body), (body['reason'] as string) || 'aborted')),
    );
    this.route('POST', '/v1/rollback', async (_p, body) =>
      view(await controller.rollback(body['request'] as never, actor(body))),
    );
    this.route('GET', '/v1/services', async () => controller.services());
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

  private route(method: string, path: string, handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, keys, handler });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      const route = this.routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route)
        return send(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } });
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(match[i + 1]!)]));
      let body: Record<string, unknown> = {};
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const text = Buffer.concat(chunks).toString('utf8');
        if (text) {
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {
            throw new SlipwayError('API_BAD_JSON', 'the request body is not JSON');
          }
        }
      }
      send(200, await route.handler(params, body, url));
    } catch (thrown) {
      const error = toSlipwayError(thrown);
      send(errorHttpStatus(error), { error: errorToJson(error) });
    }
  }
}
