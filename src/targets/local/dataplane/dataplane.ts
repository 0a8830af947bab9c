/**
 * @module The local data plane: every local cluster's routers and replicas, in a process of their own,
 * driven by the controller over a loopback channel — so a controller that crashes or restarts takes
 * nothing down: requests keep flowing, replicas keep running, ports stay, and a new controller attaches.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlipwayError } from '../../../errors/index.js';
import { writeFileAtomic } from '../../../io/write-atomic.js';
import { LocalTarget } from '../local-target.js';
import {
  type Call,
  configHash,
  type DataPlaneConfig,
  type Endpoints,
  portsPath,
  REMOTE_METHODS,
  TOKEN_HEADER,
} from './protocol.js';
import { toWire } from './wire-error.js';

const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type Ports = Record<string, ReturnType<LocalTarget['ports']>>;

function readPorts(stateDir: string): Ports {
  try {
    return JSON.parse(readFileSync(portsPath(stateDir), 'utf8')) as Ports;
  } catch {
    return {};
  }
}

/** What crosses the channel: a latency histogram's typed array as a list. */
function wire(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
}

export class DataPlane {
  readonly token = randomBytes(24).toString('hex');
  readonly hash: string;
  private readonly targets = new Map<string, LocalTarget>();
  private server: Server | undefined;

  /** `onShutdown`: a controller stopping on purpose asked this data plane to stop (it has drained). */
  constructor(
    private readonly config: DataPlaneConfig,
    private readonly onShutdown: () => void,
  ) {
    this.hash = configHash(config);
  }

  /** Starts every cluster's routers (replicas come as the controller asks) and the channel; its port. */
  async start(): Promise<number> {
    // The ports of the last data plane here, taken again where free: clients keep their services
    // through a data plane that crashed, or was stopped and started with Slipway.
    const previous = readPorts(this.config.stateDir);
    for (const c of this.config.clusters) {
      const target = new LocalTarget({
        ...c,
        stateDir: this.config.stateDir,
        ...(previous[c.cluster] ? { previousPorts: previous[c.cluster] } : {}),
      });
      this.targets.set(c.cluster, target);
      await target.start();
    }
    writeFileAtomic(
      portsPath(this.config.stateDir),
      JSON.stringify(Object.fromEntries([...this.targets].map(([name, t]) => [name, t.ports()]))),
    );
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  endpoints(): Endpoints {
    const out: Endpoints = {};
    for (const c of this.config.clusters) {
      const target = this.targets.get(c.cluster)!;
      out[c.cluster] = {
        adminUrl: target.adminUrl,
        services: Object.fromEntries(c.services.map((s) => [s.name, target.endpoint(s.name)])),
      };
    }
    return out;
  }

  /** Drains every replica and closes every router. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const target of this.targets.values()) await target.close();
  }

  private authorised(req: IncomingMessage): boolean {
    const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
    const want = Buffer.from(this.token);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(wire(body));
    };
    try {
      if (!this.authorised(req))
        return reply(401, { error: { code: 'LOCAL_DATAPLANE_REFUSED', message: 'no token' } });
      if (req.method === 'GET' && req.url === '/hello')
        return reply(200, { pid: process.pid, configHash: this.hash, endpoints: this.endpoints() });
      if (req.method === 'POST' && req.url === '/shutdown') {
        reply(200, { stopping: true });
        return this.onShutdown();
      }
      if (req.method === 'POST' && req.url === '/call')
        return reply(200, { result: await this.call(JSON.parse(await readBody(req)) as Call) });
      reply(404, { error: { code: 'LOCAL_DATAPLANE_REFUSED', message: `no ${req.method} ${req.url}` } });
    } catch (thrown) {
      const error = toWire(thrown);
      reply(error.category === 'internal' ? 500 : 400, { error });
    }
  }

  private async call(call: Call): Promise<unknown> {
    if (!REMOTE_METHODS.includes(call.method) || !Array.isArray(call.args))
      throw new SlipwayError(
        'LOCAL_DATAPLANE_REFUSED',
        `the data plane has no method ${String(call.method)}`,
      );
    const target = this.targets.get(call.cluster);
    if (!target)
      throw new SlipwayError(
        'TARGET_WRONG_CLUSTER',
        `the data plane runs no local cluster "${call.cluster}"`,
      );
    const method = target[call.method] as (...args: unknown[]) => Promise<unknown>;
    return method.apply(target, call.args);
  }
}
