import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { upgradeRequestHead } from './upgrade-tunnel.js';

describe('the upgrade request a replica gets', () => {
  it("keeps the upgrade and the body's framing, replaces the connection's own headers and who asked", () => {
    const req = {
      method: 'POST',
      url: '/chat?room=7',
      rawHeaders: [
        'Host',
        'shop.local',
        'Connection',
        'keep-alive, Upgrade',
        'Keep-Alive',
        'timeout=5',
        'Upgrade',
        'websocket',
        'Sec-WebSocket-Key',
        'dGhlIHNhbXBsZSBub25jZQ==',
        'Transfer-Encoding',
        'chunked',
        'Proxy-Authorization',
        'Basic c2VjcmV0',
        'X-Forwarded-For',
        '6.6.6.6',
      ],
      socket: { remoteAddress: '127.0.0.1' },
    } as unknown as IncomingMessage;
    assert.equal(
      upgradeRequestHead(req),
      'POST /chat?room=7 HTTP/1.1\r\n' +
        'Host: shop.local\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Transfer-Encoding: chunked\r\nconnection: upgrade\r\nx-forwarded-for: 127.0.0.1\r\n\r\n',
    );
  });
});
