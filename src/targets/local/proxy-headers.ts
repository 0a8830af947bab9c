/** @module What the router forwards of a request's and a response's headers, and how a failure is named. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { HOP_BY_HOP } from './http1/request-head.js';
import type { UpstreamFailure } from './metrics/version-metrics.js';

/**
 * Request headers for the upstream, as a raw list (no object built per request): hop-by-hop ones dropped
 * (the agent manages the connection), X-Forwarded-For set by us, and the length of a buffered body.
 */
export function forwardHeaders(req: IncomingMessage, body: Buffer | undefined): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || name === 'x-forwarded-for' || (body && name === 'content-length')) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  out.push('x-forwarded-for', req.socket.remoteAddress ?? '127.0.0.1');
  if (body) out.push('content-length', String(body.length));
  return out;
}

/** The upstream's response headers (repeated ones such as Set-Cookie kept as lists), hop-by-hop dropped. */
export function responseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  for (const name of HOP_BY_HOP) delete headers[name];
  return headers;
}

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function failureOf(error: NodeJS.ErrnoException): UpstreamFailure {
  switch (error.code ?? '') {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET': // the replica closed the connection mid-request
      return 'reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    default:
      return 'other';
  }
}
