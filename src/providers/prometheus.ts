/**
 * @module The Prometheus provider: instant queries over the HTTP API, with a timeout and retries, telling
 * apart no data, NaN, a query error and an unreachable server — each inconclusive, never a pass.
 */
import type { MetricProvider, QueryResult, RangeResult, SeriesResult } from '../analysis/metric-provider.js';

export interface PrometheusOptions {
  url: string;
  timeoutMs?: number;
  retries?: number;
  headers?: Record<string, string>;
}

export type { SeriesResult };

interface PromResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

export class PrometheusProvider implements MetricProvider {
  readonly name = 'prometheus';

  constructor(private readonly options: PrometheusOptions) {}

  /** An instant query, now or at `at` (seconds since the epoch: a replay of a past analysis). */
  async query(expression: string, signal?: AbortSignal, at?: number): Promise<QueryResult> {
    const attempts = (this.options.retries ?? 2) + 1;
    let last: QueryResult = { kind: 'unreachable', message: 'no attempt made' };
    for (let i = 1; i <= attempts; i++) {
      last = await this.once(expression, signal, at);
      // Retry only what may pass: an unreachable server or a 5xx; a bad query stays bad.
      if (last.kind !== 'unreachable' || signal?.aborted) return last;
      if (i < attempts) await new Promise((r) => setTimeout(r, 250 * i));
    }
    return last;
  }

  /** An instant query that may answer several series (e.g. `sum by (le)`), each with its labels. */
  async querySeries(expression: string, signal?: AbortSignal): Promise<SeriesResult> {
    const body = await this.get(`/api/v1/query?query=${encodeURIComponent(expression)}`, signal);
    if ('kind' in body) return body;
    if (body.status !== 'success')
      return { kind: 'error', message: `${body.errorType ?? 'error'}: ${body.error ?? ''}` };
    if (body.data?.resultType !== 'vector')
      return { kind: 'error', message: `unexpected result type ${body.data?.resultType}` };
    const series = body.data.result as { metric: Record<string, string>; value: [number, string] }[];
    return { kind: 'series', series: series.map((x) => ({ labels: x.metric, value: Number(x.value[1]) })) };
  }

  /** A range query: one series, as [time, value] points (NaN points dropped). */
  async queryRange(
    expression: string,
    start: number,
    end: number,
    step: number,
    signal?: AbortSignal,
  ): Promise<RangeResult> {
    const params = `query=${encodeURIComponent(expression)}&start=${start}&end=${end}&step=${Math.max(1, Math.round(step))}`;
    const body = await this.get(`/api/v1/query_range?${params}`, signal);
    if ('kind' in body)
      return body.kind === 'unreachable' || body.kind === 'error'
        ? body
        : { kind: 'error', message: 'unexpected answer' };
    if (body.status !== 'success')
      return { kind: 'error', message: `${body.errorType ?? 'error'}: ${body.error ?? ''}` };
    const series = (body.data?.result ?? []) as { values: [number, string][] }[];
    if (series.length === 0) return { kind: 'no-data' };
    if (series.length > 1)
      return {
        kind: 'error',
        message: `the query returned ${series.length} series; aggregate it to one (sum, max, …)`,
      };
    const points = series[0]!.values
      .map(([t, v]) => [t, Number(v)] as [number, number])
      .filter(([, v]) => !Number.isNaN(v));
    return points.length ? { kind: 'series', points } : { kind: 'no-data' };
  }

  private async get(
    path: string,
    signal?: AbortSignal,
  ): Promise<PromResponse | { kind: 'unreachable' | 'error'; message: string }> {
    const attempts = (this.options.retries ?? 2) + 1;
    let message = '';
    for (let i = 1; i <= attempts; i++) {
      try {
        const res = await fetch(`${this.options.url.replace(/\/$/, '')}${path}`, {
          headers: this.options.headers ?? {},
          signal: AbortSignal.any([
            AbortSignal.timeout(this.options.timeoutMs ?? 5000),
            ...(signal ? [signal] : []),
          ]),
        });
        if (res.status >= 500) message = `${this.options.url}: HTTP ${res.status}`;
        else {
          try {
            return (await res.json()) as PromResponse;
          } catch {
            return {
              kind: 'error',
              message: `${this.options.url} answered ${res.status} with something that is not JSON`,
            };
          }
        }
      } catch (error) {
        message = `${this.options.url}: ${(error as Error).message}`;
      }
      if (i < attempts && !signal?.aborted) await new Promise((r) => setTimeout(r, 250 * i));
    }
    return { kind: 'unreachable', message };
  }

  private async once(expression: string, signal?: AbortSignal, at?: number): Promise<QueryResult> {
    const url = `${this.options.url.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(expression)}${at !== undefined ? `&time=${at}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: this.options.headers ?? {},
        signal: AbortSignal.any([
          AbortSignal.timeout(this.options.timeoutMs ?? 5000),
          ...(signal ? [signal] : []),
        ]),
      });
    } catch (error) {
      return { kind: 'unreachable', message: `${this.options.url}: ${(error as Error).message}` };
    }
    if (res.status >= 500) return { kind: 'unreachable', message: `${this.options.url}: HTTP ${res.status}` };
    let body: PromResponse;
    try {
      body = (await res.json()) as PromResponse;
    } catch {
      return {
        kind: 'error',
        message: `${this.options.url} answered ${res.status} with something that is not JSON`,
      };
    }
    if (body.status !== 'success')
      return {
        kind: 'error',
        message: `${body.errorType ?? 'error'}: ${body.error ?? `HTTP ${res.status}`}`,
      };
    const data = body.data;
    let raw: string | undefined;
    if (data?.resultType === 'scalar') raw = (data.result as [number, string])[1];
    else if (data?.resultType === 'vector') {
      const series = data.result as { value: [number, string] }[];
      if (series.length === 0) return { kind: 'no-data' };
      if (series.length > 1)
        return {
          kind: 'error',
          message: `the query returned ${series.length} series; aggregate it to one (sum, max, …)`,
        };
      raw = series[0]!.value[1];
    } else return { kind: 'error', message: `unexpected result type ${data?.resultType}` };
    const value = Number(raw);
    if (Number.isNaN(value)) return { kind: 'nan' };
    return { kind: 'value', value };
  }
}
