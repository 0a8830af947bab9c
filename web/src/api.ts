/** The controller's API, as the dashboard calls it: same origin, a bearer token when one was given. */
import type { TracePoint } from '../../src/analysis/analysis-trace';
import type { DesiredState } from '../../src/store/store';
import { inGroupOrder, type TrafficGroup } from '../../src/targets/target';

// The server's own shapes where they are plain data (type-only: nothing of the server is bundled).
export type { TracePoint } from '../../src/analysis/analysis-trace';
export type { DesiredState } from '../../src/store/store';

export type Role = 'viewer' | 'operator' | 'approver' | 'admin';
const RANK: Record<Role, number> = { viewer: 0, operator: 1, approver: 2, admin: 3 };

export interface Me {
  authentication: boolean;
  name: string;
  role: Role;
  approves?: string[];
}

export const allows = (me: Me | undefined, needed: Role) => !!me && RANK[me.role] >= RANK[needed];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'slipway-token';
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  set: (t: string) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export function authHeaders(): Record<string, string> {
  const t = token.get();
  return t ? { authorization: `Bearer ${t}` } : {};
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { ...authHeaders(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string; hint?: string };
  };
  if (!response.ok)
    throw new ApiError(
      response.status,
      json.error?.code ?? 'HTTP_' + response.status,
      json.error?.message ?? response.statusText,
      json.error?.hint,
    );
  return json as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);

export interface ReleaseSummary {
  id: string;
  kind: string;
  status: string;
  createdAt: string;
  createdBy: string;
  changes?: { service: string; version: string }[];
}

export interface Evidence {
  verdict: 'pass' | 'fail' | 'inconclusive';
  summary: string;
  trace?: TracePoint[];
  judgements?: { verdict: string; summary: string }[];
  running?: boolean;
  [k: string]: unknown;
}

export interface StepView {
  id: string;
  kind: string;
  title: string;
  environment?: string;
  cluster?: string;
  service?: string;
  startedAt?: string;
  completedAt?: string;
  evidence?: Evidence;
}

export interface Release {
  id: string;
  kind: string;
  platform: string;
  createdBy: string;
  status: string;
  startedAt?: string;
  finishedAt?: string;
  changes: { service: string; version: string }[];
  current?: string;
  failure?: { step?: string; reason: string };
  abort?: { by: string; reason: string };
  approvals: Record<string, string[]>;
  steps: StepView[];
  rollback?: { reason: string; steps: StepView[] };
}

/** The server's own event union: each event type with the payload it carries. */
export type { StoredEvent } from '../../src/store/store';

/** A service's groups that run, the usual ones first, then an experiment's variants. */
export function groupsOf(d: DesiredState): TrafficGroup[] {
  return inGroupOrder(Object.keys(d.groups) as TrafficGroup[]);
}
