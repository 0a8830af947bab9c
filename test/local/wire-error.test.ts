/** Errors from the data plane process reach the controller with their code, or as a named channel failure. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { RemoteError, SlipwayError } from '../../src/errors/index.js';
import { DataPlaneClient } from '../../src/targets/local/dataplane/remote-local-target.js';
import { fromWire, toWire } from '../../src/targets/local/dataplane/wire-error.js';

const never = () => new SlipwayError('LOCAL_DATAPLANE_START', 'fallback');

describe('the data plane’s errors on the wire', () => {
  it('come back with the code, message and hint the data plane raised', () => {
    const raised = new SlipwayError('LOCAL_PORT_IN_USE', 'port 8080 is taken', { hint: 'free it' });
    const back = fromWire(JSON.parse(JSON.stringify(toWire(raised))), never);
    assert.equal(back.code, 'LOCAL_PORT_IN_USE');
    assert.equal(back.message, 'port 8080 is taken');
    assert.equal(back.hint, 'free it');
  });

  it('keep the category of a code this controller does not know, and fall back on what is no error at all', () => {
    const back = fromWire(
      { code: 'NEWER_CODE', message: 'from a newer data plane', category: 'release' },
      never,
    );
    assert.ok(back instanceof RemoteError);
    assert.equal(back.category, 'release');
    for (const garbage of [null, 'boom', { message: 'no code' }, 42])
      assert.equal(fromWire(garbage, never).message, 'fallback');
  });

  it('an answer that is not the protocol is a located channel failure, not a parse error', async () => {
    const server = createServer((_req, res) => res.end('<html>proxy error</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = new DataPlaneClient(
        {
          pid: 4242,
          port: (server.address() as AddressInfo).port,
          token: 't',
          configHash: 'h',
          startedAt: '',
        },
        {},
      );
      await assert.rejects(
        client.call('local', 'ensureWeights', []),
        (e: unknown) =>
          e instanceof SlipwayError &&
          e.code === 'LOCAL_DATAPLANE_UNREACHABLE' &&
          /pid 4242\) answered ensureWeights with something that is not its protocol: "<html>proxy error/.test(
            e.message,
          ),
      );
    } finally {
      server.close();
    }
  });
});
