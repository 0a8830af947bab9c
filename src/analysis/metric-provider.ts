/** @module The MetricProvider port: one PromQL-style query → one number, or why there is none. */
import { fillArgs } from './template-args.js';

export type QueryResult =
  | { kind: 'value'; value: number }
  | { kind: 'no-data' }
  | { kind: 'nan' }
  | { kind: 'error'; message: string }
  | { kind: 'unreachable'; message: string };

export type RangeResult =
  | { kind: 'series'; points: [number, number][] }
  | { kind: 'no-data' }
  | { kind: 'error'; message: string }
  | { kind: 'unreachable'; message: string };

/** An instant query's every series, with its labels (an alert's expression answers one per firing series). */
export type SeriesResult =
  | { kind: 'series'; series: { labels: Record<string, string>; value: number }[] }
  | { kind: 'error' | 'unreachable'; message: string };

export interface MetricProvider {
  readonly name: string;
  query(expression: string, signal?: AbortSignal): Promise<QueryResult>;
  /** Values over [start, end] (seconds since the epoch) every `step` seconds, if the provider keeps history. */
  queryRange?(
    expression: string,
    start: number,
    end: number,
    step: number,
    signal?: AbortSignal,
  ): Promise<RangeResult>;
  /** Every series an instant query answers, if the provider speaks PromQL. */
  querySeries?(expression: string, signal?: AbortSignal): Promise<SeriesResult>;
  /** The provider for one analysis, where its own settings use the placeholders (a web URL). */
  bind?(ctx: QueryContext): MetricProvider;
}

/** What `{{…}}` in a query stands for. */
export interface QueryContext {
  service: string;
  version: string;
  namespace: string;
  cluster: string;
  /** A Prometheus range, e.g. `30s`. */
  window: string;
  /** The template's arguments, `{{args.NAME}}` (analysis/template-args.ts). */
  args?: Record<string, string>;
}

type Placeholder = Exclude<keyof QueryContext, 'args'>;

export function renderQuery(template: string, ctx: QueryContext): string {
  return fillArgs(
    template.replace(
      /\{\{\s*(service|version|namespace|cluster|window)\s*\}\}/g,
      (_, key: Placeholder) => ctx[key],
    ),
    ctx.args,
  );
}
