/** A local HTTP receiver for notifications: records what arrives; can be slow or broken on purpose. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startReceiver(behaviour: 'ok' | 'slow' | 'error' = 'ok') {
  const received: { path: string; body: Record<string, unknown>; key: string | undefined }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        body: JSON.parse(text || '{}') as Record<string, unknown>,
        key: req.headers['idempotency-key'] as string | undefined,
      });
      if (behaviour === 'slow') setTimeout(() => res.writeHead(200).end('{}'), 60_000).unref();
      else
        res
          .writeHead(behaviour === 'error' ? 500 : 200, { 'content-type': 'application/json' })
          .end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
