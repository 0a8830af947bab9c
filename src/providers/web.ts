/**
 * @module The web metric provider (as Argo Rollouts' `web`): GET a JSON document from an HTTP endpoint and
 * read one number from it with a JSONPath — for KPIs that live behind an API rather than in Prometheus.
 * The URL may use {{service}}, {{version}}, {{namespace}}, {{cluster}}, {{window}}; headers come from an
 * env var and never appear in evidence or logs. No data, a non-number, an HTTP error and an unreachable
 * endpoint are each inconclusive, never a pass.
 */
import { JSONPath } from 'jsonpath-plus';
import {
  type MetricProvider,
  type QueryContext,
  type QueryResult,
  renderQuery,
} from '../analysis/metric-provider.js';
import { redact } from '../security/redact.js';

export interface WebOptions {
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** The first value a JSONPath selects; script filters are off (no code from a spec is evaluated). */
export function selectJson(json: unknown, path: string): unknown {
  const found = JSONPath({ path, json: json as object, eval: false, wrap: true }) as unknown[];
  return found[0];
}

export class WebProvider implements MetricProvider {
  readonly name = 'web';

  constructor(private readonly options: WebOptions) {}

  /** The same endpoint with the analysis's placeholders filled in. */
  bind(ctx: QueryContext): WebProvider {
    return new WebProvider({
      ...this.options,
      url: renderQuery(this.options.url, { ...ctx, ...encoded(ctx) }),
    });
  }

  async query(jsonPath: string, signal?: AbortSignal): Promise<QueryResult> {
    const where = redact(this.options.url);
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
      response = await fetch(this.options.url, {
        headers: { accept: 'application/json', ...this.options.headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      return { kind: 'unreachable', message: `${where}: ${(error as Error).message}` };
    }
    if (!response.ok) {
      const kind = response.status >= 500 ? 'unreachable' : 'error';
      return { kind, message: `${where} answered ${response.status}` };
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return { kind: 'error', message: `${where} did not answer JSON` };
    }
    let value: unknown;
    try {
      value = selectJson(json, jsonPath);
    } catch (error) {
      return { kind: 'error', message: `${jsonPath}: ${(error as Error).message}` };
    }
    if (value === undefined || value === null) return { kind: 'no-data' };
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (typeof value === 'boolean') return { kind: 'value', value: value ? 1 : 0 };
    if (typeof value === 'string' && value.trim() === '') return { kind: 'no-data' };
    if (Number.isNaN(number))
      return typeof value === 'number' || value === 'NaN'
        ? { kind: 'nan' }
        : {
            kind: 'error',
            message: `${jsonPath} selects ${JSON.stringify(value).slice(0, 80)}, not a number`,
          };
    return { kind: 'value', value: number };
  }
}

/** Placeholders substituted into a URL are percent-encoded (a version is an OCI tag, but be safe). */
const encoded = (ctx: QueryContext): QueryContext => ({
  service: encodeURIComponent(ctx.service),
  version: encodeURIComponent(ctx.version),
  namespace: encodeURIComponent(ctx.namespace),
  cluster: encodeURIComponent(ctx.cluster),
  window: encodeURIComponent(ctx.window),
  ...(ctx.args
    ? { args: Object.fromEntries(Object.entries(ctx.args).map(([k, v]) => [k, encodeURIComponent(v)])) }
    : {}),
});
