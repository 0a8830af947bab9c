/** @module What an API route is: its method and path, the role it needs, what it does and its body's schema. */
import type { IncomingMessage } from 'node:http';
import type { Role } from './api-tokens.js';
import type { Caller } from './oidc.js';
import type { BODIES } from './request-bodies.js';

export type Handler = (
  params: Record<string, string>,
  body: unknown,
  url: URL,
  caller: Caller | undefined,
  headers: IncomingMessage['headers'],
) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** The role a caller needs once tokens exist; null: open (the health check, the dashboard's files). */
  role: Role | null;
  /** What it does: the OpenAPI summary. */
  what: string;
  body: keyof typeof BODIES | undefined;
  handler: Handler;
}

/** A read for viewers, unless said otherwise. */
export function get(path: string, what: string, handler: Handler, role: Role | null = 'viewer'): Route {
  return { method: 'GET', path, role, what, body: undefined, handler };
}

/** A call with a body validated by its schema in request-bodies.ts. */
export function post(path: string, what: string, role: Role, body: Route['body'], handler: Handler): Route {
  return { method: 'POST', path, role, what, body, handler };
}

/** A response that is not JSON (the dashboard's files, the Prometheus exposition of /metrics). */
export class RawBody {
  constructor(
    readonly body: string | Buffer,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** A response streamed as Server-Sent Events until `run` returns or the client goes away. */
export class EventStream {
  constructor(readonly run: (write: (chunk: string) => void, signal: AbortSignal) => Promise<void>) {}
}

/** With tokens, the token's name is who acted, whatever the body says. */
export const actor = (body: { actor?: string | undefined }, caller: Caller | undefined): string =>
  caller?.name ?? body.actor ?? 'anonymous';
