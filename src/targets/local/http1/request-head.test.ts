import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequestHead } from './request-head.js';

const head = (...lines: string[]) => lines.join('\r\n');

describe('parseRequestHead', () => {
  it('reads a plain GET: routing headers lower-cased, hop-by-hop and X-Forwarded-For not forwarded', () => {
    const parsed = parseRequestHead(
      head(
        'GET /orders?id=1 HTTP/1.1',
        'Host: shop',
        'X-Canary: yes',
        'Connection: keep-alive',
        'X-Forwarded-For: 6.6.6.6',
        'Accept: a',
        'accept: b',
      ),
    );
    assert.ok(parsed);
    assert.equal(parsed.method, 'GET');
    assert.equal(parsed.line, 'GET /orders?id=1 HTTP/1.1');
    assert.equal(parsed.forwarded, 'Host: shop\r\nX-Canary: yes\r\nAccept: a\r\naccept: b\r\n');
    assert.deepEqual(parsed.headers['accept'], ['a', 'b']);
    assert.equal(parsed.headers['x-canary'], 'yes');
    assert.equal(parsed.close, false);
  });

  it('notes Connection: close, and takes Content-Length: 0 as no body', () => {
    const parsed = parseRequestHead(
      head('DELETE /x HTTP/1.1', 'Host: h', 'Content-Length: 0', 'Connection: Close'),
    );
    assert.equal(parsed?.close, true);
    assert.equal(parsed?.method, 'DELETE');
  });

  it('leaves to the general path every request it does not serve exactly', () => {
    for (const text of [
      head('POST /x HTTP/1.1', 'Host: h', 'Content-Length: 5'),
      head('POST /x HTTP/1.1', 'Host: h', 'Transfer-Encoding: chunked'),
      head('GET /x HTTP/1.0', 'Host: h'),
      head('GET /chat HTTP/1.1', 'Host: h', 'Connection: Upgrade', 'Upgrade: websocket'),
      head('PUT /x HTTP/1.1', 'Host: h', 'Expect: 100-continue'),
      head('GET /x HTTP/1.1'), // no Host
      head('GET /x HTTP/1.1', 'Host: a', 'Host: b'),
      head('GET /x HTTP/1.1', 'Host: h', ' folded'),
      head('GET /x HTTP/1.1', 'Host: h', 'Bad Name: v'),
      head('GET /x HTTP/1.1', 'Host: h\nX-Smuggled: 1'),
      head('get /x HTTP/1.1', 'Host: h'),
      head('GET /x HTTP/1.1', 'Host: h', 'X-Bell: \x07'),
      head('GET  /x HTTP/1.1', 'Host: h'),
    ])
      assert.equal(parseRequestHead(text), undefined, JSON.stringify(text));
  });
});
