/**
 * @module One cluster's API, through `@kubernetes/client-node`: a kubeconfig context, server-side apply
 * and reads of any kind, pods, the server version, access reviews and raw requests (the service proxy).
 * Transient faults (5xx, 429 with Retry-After, a dropped connection) are retried with a bounded backoff;
 * what is left becomes a SlipwayError with a stable code.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Pod,
  VersionApi,
} from '@kubernetes/client-node';
import { SlipwayError } from '../../errors/index.js';

export const FIELD_MANAGER = 'slipway';

export interface KubeClientOptions {
  /** A kubeconfig file; default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  context: string;
  /** The cluster's name in the spec, for messages. */
  cluster: string;
  /** Attempts for a transient fault (default 5). */
  attempts?: number;
  /** First backoff (doubles each attempt; default 200 ms). */
  backoffMs?: number;
}

export interface RawResponse {
  status: number;
  body: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads a kubeconfig and selects a context; a missing file or context is a user error that names both. */
export function loadContext(kubeconfig: string | undefined, context: string, cluster: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new SlipwayError(
      'KUBE_CONFIG_INVALID',
      `cannot read the kubeconfig ${kubeconfig ?? '(default)'}: ${(error as Error).message}`,
      {
        hint: 'pass --kubeconfig FILE or set KUBECONFIG',
      },
    );
  }
  const names = kc.getContexts().map((c) => c.name);
  if (!names.includes(context))
    throw new SlipwayError(
      'KUBE_CONTEXT_NOT_FOUND',
      `cluster ${cluster}: the context "${context}" is not in the kubeconfig${kubeconfig ? ` ${kubeconfig}` : ''} (it has: ${names.join(', ') || 'none'})`,
      { hint: 'pass --kubeconfig FILE, or fix environments.*.clusters.*.kubernetes.context' },
    );
  kc.setCurrentContext(context);
  return kc;
}

function transient(error: unknown): { retry: boolean; afterMs?: number } {
  if (error instanceof ApiException) {
    const code = error.code;
    if (code === 429 || code >= 500) {
      const after = Number(error.headers?.['retry-after']);
      return {
        retry: true,
        ...(Number.isFinite(after) && after > 0 ? { afterMs: Math.min(after, 10) * 1000 } : {}),
      };
    }
    return { retry: false };
  }
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return {
    retry: ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET'].includes(code ?? ''),
  };
}

/** The message a person reads for an API failure: the Status message when there is one. */
export function apiMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    const parsed = typeof body === 'string' ? safeJson(body) : body;
    const message = (parsed as { message?: string } | undefined)?.message;
    return `${error.code}${message ? `: ${message}` : ''}`;
  }
  return (error as Error).message ?? String(error);
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const statusOf = (error: unknown) => (error instanceof ApiException ? error.code : undefined);

export class KubeClient {
  readonly kc: KubeConfig;
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  private readonly authz: AuthorizationV1Api;
  private readonly versionApi: VersionApi;
  /** API requests sent (the bench counts them). */
  requests = 0;

  constructor(readonly options: KubeClientOptions) {
    this.kc = loadContext(options.kubeconfig, options.context, options.cluster);
    this.objects = KubernetesObjectApi.makeApiClient(this.kc);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.authz = this.kc.makeApiClient(AuthorizationV1Api);
    this.versionApi = this.kc.makeApiClient(VersionApi);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  /** Runs an API call, retrying transient faults; the rest is thrown as a SlipwayError. */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const attempts = this.options.attempts ?? 5;
    let delay = this.options.backoffMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      this.requests++;
      try {
        return await fn();
      } catch (error) {
        const t = transient(error);
        if (t.retry && attempt < attempts) {
          await sleep(t.afterMs ?? delay);
          delay *= 2;
          continue;
        }
        throw this.wrap(what, error);
      }
    }
  }

  wrap(what: string, error: unknown): SlipwayError {
    if (error instanceof SlipwayError) return error;
    const status = statusOf(error);
    const where = `cluster ${this.options.cluster} (${this.options.context})`;
    if (status === 403)
      return new SlipwayError('KUBE_FORBIDDEN', `${where}: ${what} is forbidden: ${apiMessage(error)}`, {
        hint: 'slipway needs the RBAC rules the README lists for its service account or user',
        cause: error,
      });
    if (status === 409)
      return new SlipwayError('KUBE_CONFLICT', `${where}: ${what}: ${apiMessage(error)}`, {
        hint: 'another field manager owns these fields; remove its ownership or let Slipway own the object',
        cause: error,
      });
    if (status !== undefined && status < 500 && status !== 429)
      return new SlipwayError('KUBE_REJECTED', `${where}: ${what} was rejected: ${apiMessage(error)}`, {
        cause: error,
      });
    return new SlipwayError('KUBE_UNREACHABLE', `${where}: ${what} failed: ${apiMessage(error)}`, {
      hint: `is the API server ${this.server} reachable, and is the kubeconfig's context current?`,
      cause: error,
    });
  }

  apply<T extends KubernetesObject>(object: T): Promise<T> {
    const { kind, metadata } = object;
    return this.call(
      `apply ${kind} ${metadata?.namespace ? `${metadata.namespace}/` : ''}${metadata?.name}`,
      () =>
        this.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    );
  }

  /** A JSON merge patch under its own field manager (a scale, a selector switch): one API write. */
  mergePatch<T extends KubernetesObject>(object: T, manager: string): Promise<T> {
    const { kind, metadata } = object;
    return this.call(
      `patch ${kind} ${metadata?.namespace ? `${metadata.namespace}/` : ''}${metadata?.name}`,
      () => this.objects.patch(object, undefined, undefined, manager, undefined, PatchStrategy.MergePatch),
    );
  }

  /** The live object, or undefined when there is none. */
  async read<T extends KubernetesObject>(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): Promise<T | undefined> {
    try {
      return await this.call(
        `read ${kind} ${name}`,
        () =>
          this.objects.read({
            apiVersion,
            kind,
            metadata: { name, ...(namespace ? { namespace } : {}) },
          }) as Promise<T>,
      );
    } catch (error) {
      if (error instanceof SlipwayError && statusOf(error.cause) === 404) return undefined;
      throw error;
    }
  }

  async remove(object: KubernetesObject): Promise<void> {
    try {
      await this.call(`delete ${object.kind} ${object.metadata?.name}`, () => this.objects.delete(object));
    } catch (error) {
      if (error instanceof SlipwayError && statusOf(error.cause) === 404) return;
      throw error;
    }
  }

  pods(namespace: string, labelSelector: string): Promise<V1Pod[]> {
    return this.call(
      `list pods in ${namespace}`,
      async () => (await this.core.listNamespacedPod({ namespace, labelSelector })).items,
    );
  }

  async version(): Promise<string> {
    return this.call('read the server version', async () => (await this.versionApi.getCode()).gitVersion);
  }

  async allowed(
    verb: string,
    group: string,
    resource: string,
    namespace?: string,
    subresource?: string,
  ): Promise<boolean> {
    const review = await this.call(`review access to ${verb} ${resource}`, () =>
      this.authz.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              verb,
              group,
              resource,
              ...(namespace ? { namespace } : {}),
              ...(subresource ? { subresource } : {}),
            },
          },
        },
      }),
    );
    return review.status?.allowed === true;
  }

  /** A raw GET/POST to the API server (the service proxy), with the kubeconfig's credentials. */
  async raw(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
    timeoutMs = 10_000,
  ): Promise<RawResponse> {
    const url = new URL(path, this.server);
    const options: RequestOptions = {
      method,
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { ...headers },
      timeout: timeoutMs,
    };
    await this.kc.applyToHTTPSOptions(options);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    this.requests++;
    return new Promise((resolve, reject) => {
      const req = send(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.length < 1024 && chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
