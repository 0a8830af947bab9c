import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedResponse, parseResponseHead } from './response-head.js';

const head = (...lines: string[]) => lines.join('\r\n');

describe('parseResponseHead', () => {
  it('passes the headers on without hop-by-hop ones, repeated ones kept', () => {
    const parsed = parseResponseHead(
      head(
        'HTTP/1.1 200 OK',
        'Set-Cookie: a=1',
        'Set-Cookie: b=2',
        'Keep-Alive: timeout=5',
        'Content-Length: 3',
      ),
      'GET',
    );
    assert.equal(parsed.status, 200);
    assert.equal(
      parsed.head,
      'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 3\r\n\r\n',
    );
    assert.deepEqual(parsed.framing, { kind: 'length', bytes: 3 });
    assert.equal(parsed.reusable, true);
  });

  it('keeps chunked framing (the chunks pass as they are) and knows when a body ends with the connection', () => {
    const chunked = parseResponseHead(head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked'), 'GET');
    assert.deepEqual(chunked.framing, { kind: 'chunked' });
    assert.match(chunked.head, /Transfer-Encoding: chunked/);
    const untilClose = parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Type: text/plain'), 'GET');
    assert.deepEqual(untilClose.framing, { kind: 'close' });
    assert.equal(untilClose.reusable, false);
    assert.match(untilClose.head, /connection: close\r\n\r\n$/);
  });

  it('has no body for HEAD, 204 and 304 whatever the headers say, and reads HTTP/1.0 keep-alive', () => {
    assert.equal(
      parseResponseHead(head('HTTP/1.1 200 OK', 'Content-Length: 9'), 'HEAD').framing.kind,
      'none',
    );
    assert.equal(parseResponseHead('HTTP/1.1 204 No Content', 'GET').framing.kind, 'none');
    assert.equal(
      parseResponseHead(head('HTTP/1.1 304 Not Modified', 'Content-Length: 9'), 'GET').framing.kind,
      'none',
    );
    assert.equal(parseResponseHead(head('HTTP/1.0 200 OK', 'Content-Length: 1'), 'GET').reusable, false);
    const kept = parseResponseHead(
      head('HTTP/1.0 200 OK', 'Connection: keep-alive', 'Content-Length: 1'),
      'GET',
    );
    assert.equal(kept.reusable, true);
    assert.equal(
      parseResponseHead(head('HTTP/1.1 200 OK', 'Connection: close', 'Content-Length: 1'), 'GET').reusable,
      false,
    );
  });

  it('refuses what is not an HTTP/1.x answer, and conflicting lengths', () => {
    for (const text of [
      '<html>',
      'HTTP/2 200',
      head('HTTP/1.1 200 OK', 'Content-Length: 1', 'Content-Length: 2'),
      head('HTTP/1.1 200 OK', 'Content-Length: -1'),
      head('HTTP/1.1 200 OK', 'Bad Header'),
    ])
      assert.throws(() => parseResponseHead(text, 'GET'), MalformedResponse, text);
  });
});
