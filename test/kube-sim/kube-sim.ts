/**
 * @module A Kubernetes API simulator for tests: the REST subset Slipway and kubectl use — discovery, create,
 * get, list, watch (resourceVersion, bookmarks), merge patch, server-side apply with managedFields and
 * conflicts, delete, status subresources, SelfSubjectAccessReview with configurable denials, CRDs present
 * or absent, the service proxy — over the workload controller, with fault injection. A test harness only:
 * its fidelity is checked with the real kubectl (test/kube-sim/kubectl-fidelity.test.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { applyFields, type Json, type JsonObject, leafPaths, managedFields } from './field-ownership.js';
import { metadataOf, ObjectStore, type StoredObject, type WatchEvent } from './object-store.js';
import { groupVersion, RESOURCES, type ResourceType, verbsOf } from './resources.js';
import { WorkloadController } from './workload-controller.js';

export interface Denial {
  verb: string;
  resource: string;
  namespace?: string;
}

export interface Fault {
  status: number;
  retryAfterSeconds?: number;
}

export interface KubeSimOptions {
  name?: string;
  /** CRD plurals installed (e.g. `httproutes.gateway.networking.k8s.io`); default: all known. */
  crds?: string[];
  readyDelayMs?: number;
  msPerSpecSecond?: number;
  gitVersion?: string;
  badImage?: (image: string) => 'crashloop' | 'nopull' | undefined;
  readyDelayFor?: (image: string) => number | undefined;
}

type Route = { r: ResourceType; namespace?: string; name?: string; sub?: string };

const send = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

/** A 403 worded as the API server words it. */
function forbidden(res: ServerResponse, verb: string, resource: string, group: string, namespace?: string) {
  const message = `${resource}${group ? `.${group}` : ''} is forbidden: User "slipway" cannot ${verb} resource "${resource}" in API group "${group}"${namespace ? ` in the namespace "${namespace}"` : ''}`;
  return send(res, 403, statusBody(403, 'Forbidden', message));
}

export const statusBody = (code: number, reason: string, message: string, details: JsonObject = {}) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  details,
  code,
});

function matchesLabels(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const t = term.trim();
    if (!t) return true;
    const neq = t.split('!=');
    if (neq.length === 2) return labels?.[neq[0]!.trim()] !== neq[1]!.trim();
    const eq = t.split(/==?/);
    if (eq.length === 2) return labels?.[eq[0]!.trim()] === eq[1]!.trim();
    return labels?.[t] !== undefined;
  });
}

function matchesFields(object: JsonObject, selector: string | null): boolean {
  if (!selector) return true;
  const meta = metadataOf(object);
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    if (k === 'metadata.name') return meta.name === v;
    if (k === 'metadata.namespace') return meta.namespace === v;
    return true;
  });
}

export class KubeSim {
  readonly store = new ObjectStore();
  readonly workloads: WorkloadController;
  readonly denials: Denial[] = [];
  /** Answers the next matching requests with an error (500, 429 with Retry-After…), then lets them through. */
  readonly faults: { match: (method: string, path: string) => boolean; fault: Fault; times: number }[] = [];
  /** Watches are cut after this long (a dropped connection, as load balancers do). */
  dropWatchesAfterMs: number | undefined;
  /** Extra latency on every answer. */
  latencyMs = 0;
  /** The service proxy's answer; by default 200 when a ready pod is behind the Service, else 503. */
  proxy:
    ((namespace: string, service: string, path: string) => { status: number; body: unknown }) | undefined;
  readonly requests: { method: string; path: string }[] = [];
  private readonly server: Server;
  private readonly crds: Set<string>;
  private readonly timer: NodeJS.Timeout;
  private readonly watches = new Set<ServerResponse>();

  constructor(readonly options: KubeSimOptions = {}) {
    this.crds = new Set(options.crds ?? RESOURCES.filter((r) => r.crd).map((r) => `${r.plural}.${r.group}`));
    this.workloads = new WorkloadController(this.store, {
      readyDelayMs: options.readyDelayMs ?? 200,
      msPerSpecSecond: options.msPerSpecSecond ?? 1000,
      ...(options.badImage ? { badImage: options.badImage } : {}),
      ...(options.readyDelayFor ? { readyDelayFor: options.readyDelayFor } : {}),
    });
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, statusBody(500, 'InternalError', String(e)));
        else res.destroy();
      });
    });
    this.timer = setInterval(() => this.workloads.tick(), 25);
    this.timer.unref();
    this.installCrdObjects();
  }

  /** Each installed CRD is also an object of its own (`kubectl get crd certificates.cert-manager.io`). */
  private installCrdObjects() {
    const crd = RESOURCES.find((r) => r.kind === 'CustomResourceDefinition')!;
    for (const r of this.served().filter((x) => x.crd))
      this.store.put(
        crd,
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: `${r.plural}.${r.group}` },
          spec: {
            group: r.group,
            names: { kind: r.kind, plural: r.plural },
            scope: r.namespaced ? 'Namespaced' : 'Cluster',
            versions: [{ name: r.version, served: true, storage: true }],
          },
        },
        {},
        {},
      );
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const w of this.watches) w.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  served(): ResourceType[] {
    return RESOURCES.filter((r) => !r.crd || this.crds.has(`${r.plural}.${r.group}`));
  }

  private resolve(segments: string[]): Route | undefined {
    // segments after /api/v1 or /apis/g/v, with the group and version
    const [group, version, ...rest] = segments;
    const here = this.served().filter((r) => r.group === group && r.version === version);
    const find = (plural: string | undefined) => here.find((r) => r.plural === plural);
    if (rest[0] === 'namespaces' && rest.length >= 3 && find(rest[2])?.namespaced) {
      const r = find(rest[2])!;
      return {
        r,
        namespace: rest[1]!,
        ...(rest[3] ? { name: rest[3] } : {}),
        ...(rest[4] ? { sub: rest.slice(4).join('/') } : {}),
      };
    }
    const r = find(rest[0]);
    if (!r) return undefined;
    return { r, ...(rest[1] ? { name: rest[1] } : {}), ...(rest[2] ? { sub: rest.slice(2).join('/') } : {}) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const fault = this.faults.find((f) => f.times > 0 && f.match(method, url.pathname));
    if (fault) {
      fault.times--;
      const headers: Record<string, string> =
        fault.fault.retryAfterSeconds !== undefined
          ? { 'retry-after': String(fault.fault.retryAfterSeconds) }
          : {};
      return send(
        res,
        fault.fault.status,
        statusBody(
          fault.fault.status,
          fault.fault.status === 429 ? 'TooManyRequests' : 'InternalError',
          'injected fault',
        ),
        headers,
      );
    }
    const body = await readBody(req);
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/version')
      return send(res, 200, {
        major: '1',
        minor: '31',
        gitVersion: this.options.gitVersion ?? 'v1.31.0-kube-sim',
        platform: 'linux/amd64',
      });
    if (path === '/api')
      return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') return send(res, 200, this.groupList());
    const parts = path.split('/').filter(Boolean);
    const segments =
      parts[0] === 'api' ? ['', ...parts.slice(1)] : parts[0] === 'apis' ? parts.slice(1) : undefined;
    if (!segments)
      return send(
        res,
        404,
        statusBody(404, 'NotFound', `the server could not find the requested resource (${path})`),
      );
    if (segments.length === 2) return this.resourceList(res, segments[0]!, segments[1]!);
    if (
      segments[0] === '' &&
      segments[2] === 'namespaces' &&
      segments[4] === 'services' &&
      segments[6] === 'proxy'
    )
      return this.serviceProxy(
        res,
        segments[3]!,
        segments[5]!.split(':')[0]!,
        `/${segments.slice(7).join('/')}`,
      );
    const route = this.resolve(segments);
    if (!route)
      return send(
        res,
        404,
        statusBody(404, 'NotFound', `the server could not find the requested resource (${method} ${path})`),
      );
    return this.resource(req, res, url, route, body);
  }

  private groupList() {
    const groups = new Map<string, string[]>();
    for (const r of this.served())
      if (r.group) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.version])]);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }

  private resourceList(res: ServerResponse, group: string, version: string) {
    const here = this.served().filter((r) => r.group === group && r.version === version);
    if (here.length === 0)
      return send(
        res,
        404,
        statusBody(404, 'NotFound', `the server could not find the requested resource (${group}/${version})`),
      );
    const resources = here.flatMap((r) => [
      {
        name: r.plural,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: verbsOf(r),
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      },
      ...(r.status
        ? [
            {
              name: `${r.plural}/status`,
              singularName: '',
              namespaced: r.namespaced,
              kind: r.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]);
    return send(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: groupVersion({ group, version }),
      resources,
    });
  }

  private denied(verb: string, resource: string, namespace: string | undefined): boolean {
    return this.denials.some(
      (d) =>
        d.verb === verb &&
        d.resource === resource &&
        (d.namespace === undefined || d.namespace === namespace),
    );
  }

  private serviceProxy(res: ServerResponse, namespace: string, service: string, path: string) {
    if (this.denied('get', 'services/proxy', namespace))
      return forbidden(res, 'get', 'services/proxy', '', namespace);
    if (this.proxy) {
      const answer = this.proxy(namespace, service, path);
      return send(res, answer.status, answer.body);
    }
    const svc = this.store.get(
      RESOURCES.find((r) => r.kind === 'Service')!,
      namespace,
      service,
    );
    if (!svc) return send(res, 404, statusBody(404, 'NotFound', `services "${service}" not found`));
    const selector = ((svc.object['spec'] as JsonObject)['selector'] ?? {}) as Record<string, string>;
    const pods = this.store
      .list(
        RESOURCES.find((r) => r.kind === 'Pod')!,
        namespace,
      )
      .filter((p) => {
        const labels = metadataOf(p.object)['labels'] as Record<string, string> | undefined;
        const ready = (
          (p.object['status'] as JsonObject | undefined)?.['conditions'] as
            { type: string; status: string }[] | undefined
        )?.some((c) => c.type === 'Ready' && c.status === 'True');
        return ready && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
      });
    if (pods.length === 0)
      return send(
        res,
        503,
        statusBody(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`),
      );
    const labels = metadataOf(pods[0]!.object)['labels'] as Record<string, string>;
    return send(res, 200, { status: 'ok', path, version: labels['app.kubernetes.io/version'] ?? null });
  }

  private async resource(req: IncomingMessage, res: ServerResponse, url: URL, route: Route, raw: string) {
    const { r, namespace, name } = route;
    const method = req.method ?? 'GET';
    const verb =
      method === 'GET'
        ? name
          ? 'get'
          : url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1'
            ? 'watch'
            : 'list'
        : method === 'POST'
          ? 'create'
          : method === 'PUT'
            ? 'update'
            : method === 'PATCH'
              ? 'patch'
              : method === 'DELETE'
                ? 'delete'
                : method.toLowerCase();
    if (this.denied(verb, r.plural, namespace)) return forbidden(res, verb, r.plural, r.group, namespace);
    if (r.kind === 'SelfSubjectAccessReview') return this.accessReview(res, raw);
    if (
      r.namespaced &&
      namespace &&
      method !== 'GET' &&
      method !== 'DELETE' &&
      !this.store.get(RESOURCES[0]!, undefined, namespace)
    )
      return send(
        res,
        404,
        statusBody(404, 'NotFound', `namespaces "${namespace}" not found`, {
          name: namespace,
          kind: 'namespaces',
        }),
      );
    if (method === 'GET' && !name)
      return verb === 'watch' ? this.watch(res, url, route) : this.list(res, url, route);
    const existing = name ? this.store.get(r, namespace, name) : undefined;
    const notFound = () =>
      send(
        res,
        404,
        statusBody(404, 'NotFound', `${r.plural}${r.group ? `.${r.group}` : ''} "${name}" not found`, {
          name: name ?? '',
          group: r.group,
          kind: r.plural,
        }),
      );
    switch (method) {
      case 'GET':
        return existing ? send(res, 200, this.view(existing)) : notFound();
      case 'DELETE': {
        if (!existing) return notFound();
        if (r.kind === 'Deployment' || r.kind === 'StatefulSet' || r.kind === 'DaemonSet')
          for (const pod of this.store.list(
            RESOURCES.find((x) => x.kind === 'Pod')!,
            namespace,
          ))
            if (
              (metadataOf(pod.object)['labels'] as Record<string, string> | undefined)?.['kube-sim/owner'] ===
              name
            )
              this.store.delete(
                RESOURCES.find((x) => x.kind === 'Pod')!,
                namespace,
                metadataOf(pod.object).name,
              );
        const gone = this.store.delete(r, namespace, name!);
        return send(res, 200, gone);
      }
      case 'POST': {
        const object = parseBody(raw);
        if (!object) return send(res, 400, statusBody(400, 'BadRequest', 'the body is not an object'));
        const meta = metadataOf(object);
        if (this.store.get(r, r.namespaced ? (namespace ?? meta.namespace) : undefined, meta.name))
          return send(
            res,
            409,
            statusBody(409, 'AlreadyExists', `${r.plural} "${meta.name}" already exists`),
          );
        const manager = url.searchParams.get('fieldManager') ?? 'unknown';
        return send(
          res,
          201,
          this.write(
            r,
            namespace,
            { ...object, metadata: { ...meta, ...(r.namespaced ? { namespace } : {}), generation: 1 } },
            { [manager]: leafPaths(object) },
            { [manager]: 'Update' },
            undefined,
          ),
        );
      }
      case 'PUT':
      case 'PATCH':
        return this.change(req, res, url, route, raw, existing);
      default:
        return send(res, 405, statusBody(405, 'MethodNotAllowed', `${method} is not allowed`));
    }
  }

  private change(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    route: Route,
    raw: string,
    existing: StoredObject | undefined,
  ) {
    const { r, namespace, name, sub } = route;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!;
    const manager =
      url.searchParams.get('fieldManager') ?? (type === 'application/apply-patch+yaml' ? '' : 'unknown');
    const patch = parseBody(raw);
    if (!patch) return send(res, 400, statusBody(400, 'BadRequest', 'the body is not an object'));
    if (sub === 'status') {
      if (!existing) return send(res, 404, statusBody(404, 'NotFound', `${r.plural} "${name}" not found`));
      const status =
        method(req) === 'PUT'
          ? patch['status']
          : mergePatch((existing.object['status'] as Json) ?? {}, patch['status'] ?? {});
      return send(
        res,
        200,
        this.write(
          r,
          namespace,
          { ...existing.object, status: status ?? {} },
          existing.owners,
          existing.operations,
          existing.object,
        ),
      );
    }
    if (type === 'application/apply-patch+yaml') {
      if (!manager)
        return send(
          res,
          422,
          statusBody(
            422,
            'Invalid',
            'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          ),
        );
      const live: JsonObject = existing?.object ?? {
        apiVersion: groupVersion(r),
        kind: r.kind,
        metadata: { name: name!, ...(namespace ? { namespace } : {}) },
      };
      const applied = {
        ...patch,
        metadata: { ...metadataOf(patch), name: name!, ...(namespace ? { namespace } : {}) },
      };
      const result = applyFields(
        stripServer(live),
        existing?.owners ?? {},
        applied,
        manager,
        url.searchParams.get('force') === 'true',
      );
      if ('conflicts' in result) {
        const causes = result.conflicts.map((c) => ({
          type: 'FieldManagerConflict',
          message: `conflict with "${c.manager}": .${c.field}`,
          field: `.${c.field}`,
        }));
        return send(
          res,
          409,
          statusBody(
            409,
            'Conflict',
            `Apply failed with ${causes.length} conflict${causes.length > 1 ? 's' : ''}: ${causes.map((c) => c.message).join(', ')}`,
            { causes },
          ),
        );
      }
      const object = { ...result.object, status: existing?.object['status'] ?? {} } as JsonObject;
      return send(
        res,
        existing ? 200 : 201,
        this.write(
          r,
          namespace,
          object,
          result.owners,
          { ...existing?.operations, [manager]: 'Apply' },
          existing?.object,
        ),
      );
    }
    if (!existing) return send(res, 404, statusBody(404, 'NotFound', `${r.plural} "${name}" not found`));
    const next =
      method(req) === 'PUT'
        ? { ...patch, status: existing.object['status'] ?? {} }
        : (mergePatch(existing.object, patch) as JsonObject);
    const owners = {
      ...existing.owners,
      [manager]: [...new Set([...(existing.owners[manager] ?? []), ...leafPaths(patch)])],
    };
    return send(
      res,
      200,
      this.write(
        r,
        namespace,
        next,
        owners,
        { ...existing.operations, [manager]: 'Update' },
        existing.object,
      ),
    );
  }

  private write(
    r: ResourceType,
    namespace: string | undefined,
    object: JsonObject,
    owners: Record<string, string[]>,
    operations: Record<string, string>,
    before: JsonObject | undefined,
  ) {
    const meta = metadataOf(object);
    const specChanged =
      before === undefined ||
      JSON.stringify(stripServer(before)['spec'] ?? null) !== JSON.stringify(object['spec'] ?? null) ||
      JSON.stringify(stripServer(before)['template'] ?? null) !== JSON.stringify(object['template'] ?? null);
    const generation = Number((before ? metadataOf(before)['generation'] : 0) ?? 0) + (specChanged ? 1 : 0);
    const stored = this.store.put(
      r,
      {
        ...object,
        apiVersion: groupVersion(r),
        kind: r.kind,
        metadata: {
          ...meta,
          ...(r.namespaced ? { namespace: namespace ?? meta.namespace } : {}),
          generation: Math.max(1, generation),
        },
      },
      owners,
      operations,
    );
    // With no ready delay a rollout completes within the request that started it (benchmarks measure
    // Slipway's own overhead that way); otherwise the controller's ticks move it on.
    if (r.kind === 'Deployment' || r.kind === 'StatefulSet' || r.kind === 'DaemonSet')
      for (let i = 0; i < (this.options.readyDelayMs === 0 ? 8 : 1); i++) this.workloads.tick();
    return this.view(
      this.store.get(r, r.namespaced ? (namespace ?? meta.namespace) : undefined, meta.name) ?? {
        resource: r,
        object: stored,
        owners,
        operations,
      },
    );
  }

  private view(s: StoredObject): JsonObject {
    const meta = metadataOf(s.object);
    return {
      ...s.object,
      metadata: {
        ...meta,
        managedFields: managedFields(s.owners, groupVersion(s.resource), s.operations) as unknown as Json,
      },
    };
  }

  private accessReview(res: ServerResponse, raw: string) {
    const review = parseBody(raw) ?? {};
    const attrs = ((review['spec'] as JsonObject | undefined)?.['resourceAttributes'] ?? {}) as Record<
      string,
      string
    >;
    const resource = attrs['subresource']
      ? `${attrs['resource']}/${attrs['subresource']}`
      : (attrs['resource'] ?? '');
    const allowed = !this.denied(attrs['verb'] ?? '', resource, attrs['namespace']);
    return send(res, 201, {
      ...review,
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      status: { allowed, ...(allowed ? {} : { reason: 'denied by the simulator' }) },
    });
  }

  private list(res: ServerResponse, url: URL, route: Route) {
    const items = this.store
      .list(route.r, route.namespace)
      .filter((s) =>
        matchesLabels(
          metadataOf(s.object)['labels'] as Record<string, string> | undefined,
          url.searchParams.get('labelSelector'),
        ),
      )
      .filter((s) => matchesFields(s.object, url.searchParams.get('fieldSelector')))
      .map((s) => this.view(s));
    return send(res, 200, {
      kind: `${route.r.kind}List`,
      apiVersion: groupVersion(route.r),
      metadata: { resourceVersion: String(this.store.resourceVersion) },
      items,
    });
  }

  private watch(res: ServerResponse, url: URL, route: Route) {
    const prefix = `${route.r.group}/${route.r.plural}/${route.namespace ?? ''}`;
    const wanted = (e: WatchEvent) =>
      e.resource.startsWith(prefix) &&
      matchesLabels(
        metadataOf(e.object)['labels'] as Record<string, string> | undefined,
        url.searchParams.get('labelSelector'),
      ) &&
      matchesFields(e.object, url.searchParams.get('fieldSelector'));
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const line = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
    const rv = url.searchParams.get('resourceVersion');
    if (!rv || rv === '0') {
      for (const s of this.store.list(route.r, route.namespace))
        if (wanted({ type: 'ADDED', resource: `${prefix}`, object: s.object, rv: 0 } as WatchEvent))
          line('ADDED', this.view(s));
    } else {
      const missed = this.store.since(Number(rv));
      if (!missed) {
        line('ERROR', statusBody(410, 'Expired', `too old resource version: ${rv}`));
        res.end();
        return;
      }
      for (const e of missed) if (wanted(e)) line(e.type, e.object);
    }
    this.watches.add(res);
    const unsubscribe = this.store.subscribe((e) => {
      if (wanted(e)) line(e.type, e.object);
    });
    const bookmarks =
      url.searchParams.get('allowWatchBookmarks') === 'true'
        ? setInterval(
            () =>
              line('BOOKMARK', {
                kind: route.r.kind,
                apiVersion: groupVersion(route.r),
                metadata: { resourceVersion: String(this.store.resourceVersion) },
              }),
            1000,
          )
        : undefined;
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    const limit = Math.min(
      ...[timeoutSeconds * 1000, this.dropWatchesAfterMs ?? 0].filter((x) => x > 0),
      3_600_000,
    );
    const stop = setTimeout(
      () =>
        this.dropWatchesAfterMs !== undefined && limit === this.dropWatchesAfterMs
          ? res.destroy()
          : res.end(),
      limit,
    );
    res.on('close', () => {
      unsubscribe();
      clearTimeout(stop);
      if (bookmarks) clearInterval(bookmarks);
      this.watches.delete(res);
    });
  }
}

const method = (req: IncomingMessage) => req.method ?? 'GET';

function stripServer(o: JsonObject): JsonObject {
  const rest: JsonObject = { ...o };
  delete rest['status'];
  const meta = { ...metadataOf(o) } as JsonObject;
  for (const k of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp'])
    delete meta[k];
  return { ...rest, metadata: meta };
}

function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: JsonObject =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

function parseBody(raw: string): JsonObject | undefined {
  if (!raw.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    try {
      value = parseYaml(raw);
    } catch {
      return undefined;
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
