/**
 * @module A test harness: the simulator's data plane. Requests arrive at each named service at a steady
 * rate and go where the cluster's objects send them — by the service's HTTPRoute backend weights when
 * there is one, else to its Service — then to the ready pods those Services select. Each pod answers 5xx
 * with its version's error ratio. Every request is counted as Traefik, ingress-nginx and Istio count it
 * (their exporters' metric and label names and default buckets), served on `/metrics` for a real
 * Prometheus to scrape.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from './field-ownership.js';
import type { KubeSim } from './kube-sim.js';
import { metadataOf } from './object-store.js';
import { seededRandom } from '../../src/analysis/stats/seeded-random.js';

export interface SimulatedGatewayOptions {
  namespace: string;
  /** Services that receive traffic (their Service, or HTTPRoute, has this name). */
  services: string[];
  requestsPerSecond: number;
  /** The error ratio of a version (from the pod's image tag). */
  errorRatio: (version: string) => number;
  /** Typical latency of a version, in seconds. */
  latency?: (version: string) => number;
  /** This share of every service's requests carries these headers (an A/B test's users); a route's header rule
   * sends them to its backends, otherwise they go where the rest goes. */
  headerTraffic?: { headers: Record<string, string>; share: number };
  seed?: number;
}

type Labels = Record<string, string>;
interface Pod {
  workload: string;
  version: string;
  labels: Labels;
}

const TRAEFIK_BUCKETS = [0.1, 0.3, 1.2, 5];
const NGINX_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ISTIO_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

const labelText = (l: Labels) =>
  Object.entries(l)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');

/** Prometheus counters and histograms in the text exposition format. */
class Exposition {
  private readonly counters = new Map<string, { name: string; labels: Labels; value: number }>();
  private readonly types = new Map<string, string>();

  inc(name: string, labels: Labels, by = 1, type = 'counter') {
    const key = `${name}{${labelText(labels)}}`;
    const c = this.counters.get(key) ?? { name, labels, value: 0 };
    c.value += by;
    this.counters.set(key, c);
    if (!this.types.has(name)) this.types.set(name, type);
  }

  observe(name: string, labels: Labels, buckets: number[], value: number) {
    for (const le of buckets) this.inc(`${name}_bucket`, { ...labels, le: String(le) }, value <= le ? 1 : 0);
    this.inc(`${name}_bucket`, { ...labels, le: '+Inf' });
    this.inc(`${name}_sum`, labels, value);
    this.inc(`${name}_count`, labels);
  }

  text(): string {
    return (
      [...this.counters.values()].map((c) => `${c.name}{${labelText(c.labels)}} ${c.value}`).join('\n') + '\n'
    );
  }
}

export class SimulatedGateway {
  private readonly metrics = new Exposition();
  private readonly server: Server;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private last = Date.now();
  private owed = new Map<string, number>();
  /** Requests by backend, version and status code: what a failed test prints to say where errors came from. */
  private readonly served = new Map<string, number>();

  constructor(
    private readonly sim: KubeSim,
    private readonly options: SimulatedGatewayOptions,
  ) {
    this.random = seededRandom(options.seed ?? 7);
    this.server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.metrics.text());
    });
  }

  /** Starts the traffic and the metrics endpoint; answers its `host:port`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.timer = setInterval(() => this.tick(), 50);
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests so far by `backend version code`. */
  tally(): Record<string, number> {
    return Object.fromEntries([...this.served].sort());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private object(plural: string, name: string): JsonObject | undefined {
    const r = this.sim.served().find((x) => x.plural === plural);
    return r ? this.sim.store.get(r, this.options.namespace, name)?.object : undefined;
  }

  private readyPods(selector: Labels): Pod[] {
    const r = this.sim.served().find((x) => x.plural === 'pods')!;
    return this.sim.store
      .list(r, this.options.namespace)
      .map((s) => s.object)
      .filter((p) => {
        const labels = (metadataOf(p)['labels'] ?? {}) as Labels;
        const ready = (
          (p['status'] as JsonObject | undefined)?.['conditions'] as JsonObject[] | undefined
        )?.some((c) => c['type'] === 'Ready' && c['status'] === 'True');
        return ready && Object.entries(selector).every(([k, v]) => labels[k] === v);
      })
      .map((p) => {
        const labels = (metadataOf(p)['labels'] ?? {}) as Labels;
        const image = String((metadataOf(p)['annotations'] as Labels | undefined)?.['kube-sim/image'] ?? '');
        return { workload: labels['kube-sim/owner'] ?? '', version: image.split(':').pop() ?? '', labels };
      });
  }

  /** Backend Services of a service and their shares: the route's rules, or its one Service. */
  private backends(service: string): { name: string; share: number; port: number }[] {
    const route = this.object('httproutes', service);
    const rules = ((route?.['spec'] as JsonObject | undefined)?.['rules'] ?? []) as JsonObject[];
    const headerRule = (r: JsonObject) =>
      (r['matches'] as { headers?: { name: string; value: string }[] }[] | undefined)?.find((m) => m.headers)
        ?.headers;
    const main = rules.find((r) => !headerRule(r));
    const ab = this.options.headerTraffic;
    const matched = rules.find((r) => headerRule(r)?.every((h) => ab?.headers[h.name] === h.value));
    const weighted = (rule: JsonObject | undefined, share: number) => {
      const refs = (rule?.['backendRefs'] ?? []) as { name: string; port?: number; weight?: number }[];
      const total = refs.reduce((s, b) => s + (b.weight ?? 1), 0);
      return refs.map((b) => ({
        name: b.name,
        share: (share * (b.weight ?? 1)) / total,
        port: b.port ?? 80,
      }));
    };
    if ((main?.['backendRefs'] as unknown[] | undefined)?.length) {
      const merged = new Map<string, { name: string; share: number; port: number }>();
      for (const b of [...weighted(main, matched ? 1 - ab!.share : 1), ...weighted(matched, ab?.share ?? 0)])
        merged.set(b.name, { ...b, share: (merged.get(b.name)?.share ?? 0) + b.share });
      return [...merged.values()];
    }
    const svc = this.object('services', service);
    const portOf = (s: JsonObject | undefined) =>
      ((s?.['spec'] as JsonObject | undefined)?.['ports'] as { port: number }[] | undefined)?.[0]?.port ?? 80;
    if (!svc) return [];
    // ingress-nginx's canary Ingress: its weight (0–100) of the requests go to its backend.
    const canary = this.object('ingresses', `${service}-canary`);
    const annotations = (metadataOf(canary ?? { metadata: {} })['annotations'] ?? {}) as Labels;
    if (canary && annotations['nginx.ingress.kubernetes.io/canary'] === 'true') {
      const weight = Number(annotations['nginx.ingress.kubernetes.io/canary-weight'] ?? 0) / 100;
      const rules = ((canary['spec'] as JsonObject)['rules'] ?? []) as JsonObject[];
      const backend = (
        ((rules[0]?.['http'] as JsonObject)['paths'] as JsonObject[])[0]!['backend'] as JsonObject
      )['service'] as { name: string };
      const canarySvc = this.object('services', backend.name);
      return [
        { name: service, share: 1 - weight, port: portOf(svc) },
        { name: backend.name, share: weight, port: portOf(canarySvc) },
      ];
    }
    return [{ name: service, share: 1, port: portOf(svc) }];
  }

  private tick() {
    const now = Date.now();
    const seconds = (now - this.last) / 1000;
    this.last = now;
    for (const service of this.options.services)
      for (const backend of this.backends(service)) {
        const key = `${service}/${backend.name}`;
        const due = (this.owed.get(key) ?? 0) + this.options.requestsPerSecond * seconds * backend.share;
        const n = Math.floor(due);
        this.owed.set(key, due - n);
        const svc = this.object('services', backend.name);
        const selector = ((svc?.['spec'] as JsonObject | undefined)?.['selector'] ?? {}) as Labels;
        const pods = svc ? this.readyPods(selector) : [];
        for (let i = 0; i < n; i++)
          this.serve(service, backend, pods[Math.floor(this.random() * pods.length)]);
      }
  }

  /** One request: answered by a pod (or 503 when none is ready), counted the three ways. */
  private serve(service: string, backend: { name: string; port: number }, pod: Pod | undefined) {
    const ns = this.options.namespace;
    const failed = !pod || this.random() < this.options.errorRatio(pod.version);
    const code = failed ? (pod ? '500' : '503') : '200';
    const seconds = (this.options.latency?.(pod?.version ?? '') ?? 0.02) * (0.5 + this.random());
    const tallied = `${backend.name} ${pod?.version ?? 'no-ready-pod'} ${code}`;
    this.served.set(tallied, (this.served.get(tallied) ?? 0) + 1);
    const provider = this.object('httproutes', service) ? 'kubernetesgateway' : 'kubernetes';
    const traefik = {
      code,
      method: 'GET',
      protocol: 'http',
      service: `${ns}-${backend.name}-${backend.port}@${provider}`,
    };
    this.metrics.inc('traefik_service_requests_total', traefik);
    this.metrics.observe('traefik_service_request_duration_seconds', traefik, TRAEFIK_BUCKETS, seconds);
    const nginx = {
      namespace: ns,
      ingress: service,
      service: backend.name,
      status: code,
      method: 'GET',
      canary: '',
    };
    this.metrics.inc('nginx_ingress_controller_requests', nginx);
    const nginxHistogram: Labels = { ...nginx };
    delete nginxHistogram['status']; // the exporter's histogram has no status label
    this.metrics.observe(
      'nginx_ingress_controller_request_duration_seconds',
      nginxHistogram,
      NGINX_BUCKETS,
      seconds,
    );
    if (!pod) return;
    const istio = {
      reporter: 'destination',
      destination_workload: pod.workload,
      destination_workload_namespace: ns,
      destination_service_name: backend.name,
      destination_version: pod.version,
      response_code: code,
    };
    this.metrics.inc('istio_requests_total', istio);
    this.metrics.observe('istio_request_duration_milliseconds', istio, ISTIO_BUCKETS_MS, seconds * 1000);
  }
}
