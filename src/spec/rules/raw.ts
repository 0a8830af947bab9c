/** @module Defensive reads of the raw YAML data, so rules run even when the schema found errors. */
import { type ErrorCode, type RelatedLocation, SlipwayError } from '../../errors/index.js';
import { locate, type SpecSource } from '../source.js';
import type { SpecPath } from '../spec-path.js';

/** The spec keys that rules read, declared so they read as properties. */
type RuleKey =
  | 'analysis'
  | 'autoscale'
  | 'chatId'
  | 'chatIdEnv'
  | 'check'
  | 'checks'
  | 'clusters'
  | 'cpu'
  | 'dependsOn'
  | 'environments'
  | 'health'
  | 'helm'
  | 'image'
  | 'keda'
  | 'local'
  | 'max'
  | 'maxIncrease'
  | 'maxSurge'
  | 'maxUnavailable'
  | 'memory'
  | 'metrics'
  | 'min'
  | 'notify'
  | 'objective'
  | 'overrides'
  | 'port'
  | 'ports'
  | 'preflight'
  | 'priorities'
  | 'prometheus'
  | 'provider'
  | 'release'
  | 'replicas'
  | 'service'
  | 'services'
  | 'slos'
  | 'steps'
  | 'strategy'
  | 'telegram'
  | 'url'
  | 'urlEnv'
  | 'value'
  | 'waves'
  | 'webhooks'
  | 'workload';

export type RawMap = { readonly [K in RuleKey]?: unknown } & { readonly [key: string]: unknown };

export const asMap = (value: unknown): RawMap =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawMap) : {};

export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** The Kubernetes clusters a service runs on (all of an environment's, unless it names its `clusters`). */
export function kubernetesClustersOf(data: RawMap, svc: RawMap): string[] {
  const only = asList(svc.clusters).map(asString);
  return Object.values(asMap(data.environments)).flatMap((env) =>
    Object.entries(asMap(asMap(env).clusters))
      .filter(
        ([name, c]) => (only.length === 0 || only.includes(name)) && asMap(c)['kubernetes'] !== undefined,
      )
      .map(([name]) => name),
  );
}

/**
 * A third group beside stable and the canary (a fresh baseline, an experiment's variant) gets its share on a
 * cluster only from a Gateway API HTTPRoute's backend weights (expose.via defaults to gateway): a service on
 * Kubernetes clusters without one is refused at `path`, saying `what` is refused and `why` a route is needed.
 */
export function gatewayRouteRequired(
  ctx: RuleContext,
  svc: RawMap,
  path: SpecPath,
  refusal: { what: string; why: string; at: 'key' | 'value' },
): SlipwayError | undefined {
  const kubernetes = kubernetesClustersOf(ctx.data, svc);
  const expose = asMap(svc['expose']);
  const routed = expose['type'] === 'public' && expose['host'] !== undefined && expose['via'] !== 'ingress';
  if (kubernetes.length === 0 || routed) return undefined;
  return specError(
    ctx,
    'SPEC_NOT_SUPPORTED',
    `not supported yet: ${refusal.what} on Kubernetes clusters (${kubernetes.join(', ')}) for a service without a gateway route`,
    path,
    {
      hint: `expose it through a Gateway API HTTPRoute (expose: { type: public, host, via: gateway }): ${refusal.why}`,
      at: refusal.at,
    },
  );
}

/** The templates an `analysis:` key names — one, or several run in parallel — each with its place. */
export function namedTemplates(named: unknown, at: SpecPath): { template: string; path: SpecPath }[] {
  if (Array.isArray(named)) return named.map((t, j) => ({ template: String(t), path: [...at, j] }));
  const t = asString(named);
  return t ? [{ template: t, path: at }] : [];
}

/** What a spec rule gets: the file (for locations) and the raw data. */
export interface RuleContext {
  source: SpecSource;
  data: RawMap;
}

/** A spec rule: a pure function from the raw spec to located errors. */
export type SpecRule = (ctx: RuleContext) => SlipwayError[];

export function specError(
  ctx: RuleContext,
  code: ErrorCode,
  message: string,
  path: SpecPath,
  options: {
    hint?: string | undefined;
    at?: 'key' | 'value';
    related?: { path: SpecPath; message: string; at?: 'key' | 'value' }[];
  } = {},
): SlipwayError {
  const related: RelatedLocation[] = (options.related ?? []).map((r) => ({
    ...locate(ctx.source, r.path, r.at ?? 'key'),
    message: r.message,
  }));
  return new SlipwayError(code, message, {
    location: locate(ctx.source, path, options.at ?? 'value'),
    related,
    ...(options.hint ? { hint: options.hint } : {}),
  });
}

/** A rule's errors, each located at a key of the spec: `add` one, read them all from `errors`. */
export function keyErrors(ctx: RuleContext) {
  const errors: SlipwayError[] = [];
  const add = (code: ErrorCode, message: string, path: SpecPath, hint?: string) =>
    errors.push(specError(ctx, code, message, path, { hint, at: 'key' }));
  return { errors, add };
}
