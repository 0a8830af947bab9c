import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkedBody } from './chunked-body.js';
import { MalformedResponse } from './response-head.js';

const BODY = '5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n';

describe('ChunkedBody', () => {
  it('finds the end of a body with extensions and trailers, and where the next message begins', () => {
    const bytes = Buffer.from(`${BODY}HTTP/1.1 200 OK`);
    assert.equal(new ChunkedBody().feed(bytes), BODY.length);
  });

  it('finds the same end fed one byte at a time', () => {
    const body = new ChunkedBody();
    const bytes = Buffer.from(BODY);
    let end = -1;
    for (let i = 0; i < bytes.length && end < 0; i++)
      end = body.feed(bytes.subarray(i, i + 1)) >= 0 ? i + 1 : -1;
    assert.equal(end, BODY.length);
    assert.ok(body.done);
  });

  it('goes on until the last chunk, and refuses malformed sizes and framing', () => {
    assert.equal(new ChunkedBody().feed(Buffer.from('5\r\nhello\r\n')), -1);
    for (const bad of ['x\r\n', '5\r\nhelloXY', 'fffffffffffffff\r\n', '\r\n'])
      assert.throws(() => new ChunkedBody().feed(Buffer.from(bad)), MalformedResponse, bad);
  });
});
