/**
 * @module The head of a request on the router's fast path: a plain HTTP/1.1 request without a body.
 * Anything else (a body, chunked framing, an upgrade, Expect, HTTP/1.0, a malformed or unusual head) is
 * left to Node's HTTP server, which takes the connection over: this parser only has to recognise the
 * common case exactly, never to judge the rest.
 */
import type { RequestHeaders } from '../balancer.js';

/** Node's default limit for a request head; a longer one goes to Node's server, which answers 431. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** The blank line that ends a message's head, requests' and answers' alike. */
export const HEAD_END = Buffer.from('\r\n\r\n');

export interface RequestHead {
  method: string;
  /** The request line as sent upstream. */
  line: string;
  /** The header lines forwarded upstream, each ending in CRLF (hop-by-hop and X-Forwarded-For left out). */
  forwarded: string;
  /** Lower-cased names (repeated ones as lists), for routing by header. */
  headers: RequestHeaders;
  /** The client asked to close the connection after this answer. */
  close: boolean;
}

const REQUEST_LINE = /^([A-Z]+) ([!-~]+) HTTP\/1\.1$/;
/** A token, a colon, and a value of visible characters, spaces and tabs (obs-text allowed, RFC 9110 §5.5). */
export const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\t\x20-\x7e\x80-\xff]*?)[ \t]*$/;

/** Dropped when forwarding: they describe one connection, not the request. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // The router answers Expect: 100-continue itself (Node's server does); the upstream gets the body.
  'expect',
]);

/** A request the fast path never serves: it has a body, changes protocol, or expects an interim answer. */
const GENERAL_PATH_ONLY = new Set(['transfer-encoding', 'upgrade', 'expect']);

/** The head's text up to (not including) its blank line; undefined when the fast path must not serve it. */
export function parseRequestHead(text: string): RequestHead | undefined {
  const lines = text.split('\r\n');
  const requestLine = REQUEST_LINE.exec(lines[0]!);
  if (!requestLine) return undefined;
  const headers: RequestHeaders = {};
  let forwarded = '';
  let close = false;
  for (let i = 1; i < lines.length; i++) {
    const match = HEADER_LINE.exec(lines[i]!);
    if (!match) return undefined;
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    if (GENERAL_PATH_ONLY.has(name)) return undefined;
    if (name === 'content-length' && value !== '0') return undefined;
    if (name === 'connection') {
      const tokens = value.toLowerCase();
      if (tokens.includes('upgrade')) return undefined;
      close ||= tokens.includes('close');
    }
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else if (name === 'host' || name === 'content-length') return undefined;
    else headers[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
    if (!HOP_BY_HOP.has(name) && name !== 'x-forwarded-for') forwarded += `${lines[i]}\r\n`;
  }
  if (headers['host'] === undefined) return undefined;
  return { method: requestLine[1]!, line: lines[0]!, forwarded, headers, close };
}
