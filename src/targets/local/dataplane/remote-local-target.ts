/**
 * @module A local cluster run by the data plane process: every Target call goes over the loopback channel
 * (dataplane.ts), with the same results and the same typed errors as the in-process LocalTarget.
 */
import { Agent, request } from 'node:http';
import { SlipwayError } from '../../../errors/index.js';
import { LatencyHistogram } from '../../../metrics/latency-histogram.js';
import type {
  CheckRequest,
  CheckResponse,
  EnsureReplicasRequest,
  GroupStatus,
  HeaderMatch,
  PreflightResult,
  RolloutBounds,
  ServiceRef,
  SeparateGroup,
  ServiceStatus,
  Snapshot,
  Target,
  TrafficGroup,
  VersionTraffic,
  Weights,
} from '../../target.js';
import {
  type DataPlaneInfo,
  type Endpoints,
  HUNG_AFTER_MS,
  type RemoteMethod,
  TOKEN_HEADER,
} from './protocol.js';
import { fromWire } from './wire-error.js';

/** The channel to one data plane process. */
export class DataPlaneClient {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(
    readonly info: DataPlaneInfo,
    readonly endpoints: Endpoints,
  ) {}

  static async hello(
    info: DataPlaneInfo,
    timeoutMs = 2000,
  ): Promise<{ configHash: string; endpoints: Endpoints }> {
    const res = await fetch(`http://127.0.0.1:${info.port}/hello`, {
      headers: { [TOKEN_HEADER]: info.token },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`the data plane answered ${res.status}`);
    return (await res.json()) as { configHash: string; endpoints: Endpoints };
  }

  async call<T>(cluster: string, method: RemoteMethod, args: unknown[]): Promise<T> {
    let text: string;
    try {
      text = await this.post(JSON.stringify({ cluster, method, args }));
    } catch (error) {
      throw new SlipwayError(
        'LOCAL_DATAPLANE_UNREACHABLE',
        `the local data plane (pid ${this.info.pid}) does not answer: ${(error as Error).message}`,
        { hint: 'the controller starts a new one when this one is gone; see its log', cause: error },
      );
    }
    let body: { result?: T; error?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new SlipwayError(
        'LOCAL_DATAPLANE_UNREACHABLE',
        `the local data plane (pid ${this.info.pid}) answered ${method} with something that is not its protocol: ${JSON.stringify(text.slice(0, 80))}`,
        { hint: 'the controller starts a new one when this one is gone; see its log' },
      );
    }
    if (body.error !== undefined)
      throw fromWire(
        body.error,
        () =>
          new SlipwayError(
            'LOCAL_DATAPLANE_UNREACHABLE',
            `the local data plane failed ${method} without saying why`,
          ),
      );
    return body.result as T;
  }

  /**
   * One call over node:http, with no timeout of its own: a rollout may take its whole deadline (minutes),
   * which fetch's headers timeout would cut short and report as a lost data plane. A call that lasts is
   * watched instead: if the data plane stops answering /hello meanwhile (stopped, its loop stuck), the
   * call fails after HUNG_AFTER_MS rather than waiting for ever.
   */
  private post(body: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.info.port,
          path: '/call',
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: this.info.token },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('error', reject);
        },
      );
      const watch = this.watchWhile(() =>
        req.destroy(new Error(`no answer to /hello for ${HUNG_AFTER_MS / 1000} s: it hangs`)),
      );
      req.on('close', () => clearInterval(watch));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Checks every 2 s that the data plane still answers; calls `hung` once it has not for HUNG_AFTER_MS. */
  private watchWhile(hung: () => void): NodeJS.Timeout {
    let answeredAt = Date.now();
    let asking = false;
    const timer = setInterval(() => {
      if (Date.now() - answeredAt >= HUNG_AFTER_MS) {
        clearInterval(timer);
        hung();
        return;
      }
      if (asking) return;
      asking = true;
      DataPlaneClient.hello(this.info)
        .then(() => (answeredAt = Date.now()))
        .catch(() => undefined)
        .finally(() => (asking = false));
    }, 2_000);
    timer.unref();
    return timer;
  }

  /** Asks the data plane to drain and stop (Slipway stopped on purpose). */
  async shutdown(): Promise<void> {
    await fetch(`http://127.0.0.1:${this.info.port}/shutdown`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: this.info.token },
      signal: AbortSignal.timeout(HUNG_AFTER_MS),
    }).catch(() => undefined);
  }
}

export class RemoteLocalTarget implements Target {
  readonly kind = 'local';
  readonly capabilities = { weights: true, headerRouting: true, liveState: false } as const;

  constructor(
    readonly cluster: string,
    private client: DataPlaneClient,
  ) {}

  /** Talks to another data plane from now on (the last one died and a new one was started). */
  use(client: DataPlaneClient): void {
    this.client = client;
  }

  get adminUrl(): string {
    return this.client.endpoints[this.cluster]?.adminUrl ?? '';
  }

  endpoint(service: string): string {
    return this.client.endpoints[this.cluster]?.services[service] ?? '';
  }

  private call<T>(method: RemoteMethod, ...args: unknown[]): Promise<T> {
    return this.client.call<T>(this.cluster, method, args);
  }

  ensureReplicas(ref: ServiceRef, request: EnsureReplicasRequest): Promise<GroupStatus> {
    return this.call('ensureReplicas', ref, request);
  }

  ensureWeights(ref: ServiceRef, weights: Weights, matches: HeaderMatch[] = []): Promise<void> {
    return this.call('ensureWeights', ref, weights, matches);
  }

  promote(
    ref: ServiceRef,
    from: Exclude<TrafficGroup, 'stable'>,
    version: string,
    bounds: RolloutBounds = {},
  ): Promise<void> {
    return this.call('promote', ref, from, version, bounds);
  }

  diagnostics(ref: ServiceRef): Promise<Record<string, string>> {
    return this.call('diagnostics', ref);
  }

  scaleToZero(ref: ServiceRef, group: TrafficGroup): Promise<void> {
    return this.call('scaleToZero', ref, group);
  }

  observe(ref: ServiceRef): Promise<ServiceStatus> {
    return this.call('observe', ref);
  }

  preflight(services: { service: string; version: string }[]): Promise<PreflightResult> {
    return this.call('preflight', services);
  }

  snapshot(ref: ServiceRef): Promise<Snapshot> {
    return this.call('snapshot', ref);
  }

  restore(
    ref: ServiceRef,
    snapshot: Snapshot,
    fallback?: EnsureReplicasRequest,
  ): Promise<GroupStatus | undefined> {
    return this.call('restore', ref, snapshot, ...(fallback ? [fallback] : []));
  }

  send(ref: ServiceRef, request: CheckRequest): Promise<CheckResponse> {
    return this.call('send', ref, request);
  }

  async trafficOf(
    service: string,
    version: string,
    group?: SeparateGroup,
  ): Promise<VersionTraffic | undefined> {
    type Wire = Omit<VersionTraffic, 'latency'> & {
      latency: { counts: number[]; count: number; sum: number };
    };
    const t = await this.call<Wire | undefined>('trafficOf', service, version, ...(group ? [group] : []));
    if (!t) return undefined;
    const { counts, count, sum } = t.latency;
    return { ...t, latency: new LatencyHistogram(Float64Array.from(counts), count, sum) };
  }

  /** The data plane goes on without this controller; stopping it is the runtime's decision. */
  async close(): Promise<void> {}
}
