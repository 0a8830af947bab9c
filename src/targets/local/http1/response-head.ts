/**
 * @module The head of an upstream's answer on the router's fast path: its status, the header lines passed
 * on to the client, and how its body ends. The body's bytes are passed on as they come, framing included,
 * so only the framing has to be understood (RFC 9112 §6.3).
 */
import { HEADER_LINE, HOP_BY_HOP } from './request-head.js';

export type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; bytes: number }
  | { kind: 'chunked' }
  /** Neither length nor chunks: the body ends when the upstream closes the connection. */
  | { kind: 'close' };

export interface ResponseHead {
  status: number;
  /** The status line and headers for the client, ending in the blank line. */
  head: string;
  framing: BodyFraming;
  /** The upstream connection may carry another request after this answer. */
  reusable: boolean;
}

/** An HTTP/1.x status line: its minor version, status and reason. */
export const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;

/** Thrown for an answer that is not HTTP/1.x: the router answers 502. */
export class MalformedResponse extends Error {}

/**
 * @param text the head up to (not including) its blank line
 * @param method the request's method: the answer to a HEAD has no body whatever its headers say
 */
export function parseResponseHead(text: string, method: string): ResponseHead {
  const lines = text.split('\r\n');
  const statusLine = STATUS_LINE.exec(lines[0]!);
  if (!statusLine) throw new MalformedResponse(`not an HTTP/1.x status line: ${lines[0]!.slice(0, 80)}`);
  const status = Number(statusLine[2]);
  let head = `HTTP/1.1 ${status} ${statusLine[3] ?? ''}\r\n`;
  let length: number | undefined;
  let chunked = false;
  let reusable = statusLine[1] === '1';
  for (let i = 1; i < lines.length; i++) {
    const match = HEADER_LINE.exec(lines[i]!);
    if (!match) throw new MalformedResponse(`a malformed header line: ${lines[i]!.slice(0, 80)}`);
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value)))
        throw new MalformedResponse(`a bad Content-Length: ${value.slice(0, 40)}`);
      length = Number(value);
    } else if (name === 'transfer-encoding') {
      chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      if (!chunked) reusable = false;
      head += `${lines[i]}\r\n`; // the chunks are passed on as they are, so is their framing
      continue;
    } else if (name === 'connection') {
      const tokens = value.toLowerCase();
      if (tokens.includes('close')) reusable = false;
      else if (tokens.includes('keep-alive')) reusable = true;
    }
    if (!HOP_BY_HOP.has(name)) head += `${lines[i]}\r\n`;
  }
  const framing = framingOf(status, method, length, chunked);
  if (framing.kind === 'close') {
    reusable = false;
    head += 'connection: close\r\n';
  }
  return { status, head: `${head}\r\n`, framing, reusable };
}

function framingOf(
  status: number,
  method: string,
  length: number | undefined,
  chunked: boolean,
): BodyFraming {
  if (method === 'HEAD' || status === 204 || status === 304 || status < 200) return { kind: 'none' };
  if (chunked) return { kind: 'chunked' };
  if (length !== undefined) return length === 0 ? { kind: 'none' } : { kind: 'length', bytes: length };
  return { kind: 'close' };
}
