import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../engine/gates/run-check.js';
import { NotificationDispatcher } from '../notify/dispatcher.js';
import { childEnv } from './child-env.js';
import { redact } from './redact.js';

const PLANTED = 'xoxb-planted-secret-4f8a';

describe('what children inherit', () => {
  it('passes the allow-list and what is given, never the controller’s secrets', () => {
    const env = childEnv(
      { PORT: '8080', SLIPWAY_VERSION: 'v2' },
      {
        PATH: '/usr/bin',
        SLACK_WEBHOOK: `https://hooks.slack.com/services/${PLANTED}`,
        TG_TOKEN: PLANTED,
        TZ: 'UTC',
      },
    );
    assert.deepEqual(env, { PATH: '/usr/bin', TZ: 'UTC', PORT: '8080', SLIPWAY_VERSION: 'v2' });
  });

  it('gives a check command no controller secret (a real /bin/sh prints its whole environment)', async () => {
    process.env['SLIPWAY_TEST_PLANTED_TOKEN'] = PLANTED;
    try {
      const e = await runCheck(
        'dump-env',
        { command: { run: 'env' } },
        {
          service: 'web',
          version: 'v2',
          cluster: 'c',
          environment: 'e',
          namespace: 'ns',
          cwd: process.cwd(),
        },
      );
      assert.equal(e.verdict, 'pass');
      assert.match(String(e['output']), /SLIPWAY_VERSION=v2/);
      assert.doesNotMatch(String(e['output']), new RegExp(PLANTED));
    } finally {
      delete process.env['SLIPWAY_TEST_PLANTED_TOKEN'];
    }
  });
});

describe('redaction', () => {
  it('masks URL credentials, secret parameters, bot tokens, Slack webhook paths and known values', () => {
    assert.equal(
      redact('POST https://ops:s3cr3t@hooks.example.com/x failed'),
      'POST https://***@hooks.example.com/x failed',
    );
    assert.equal(redact('GET /q?token=abc123&x=1'), 'GET /q?token=***&x=1');
    assert.equal(
      redact('https://api.telegram.org/bot123456:AAbbCC-dd/sendMessage'),
      'https://api.telegram.org/bot***/sendMessage',
    );
    assert.equal(
      redact('https://hooks.slack.com/services/T0/B1/XyZ'),
      'https://hooks.slack.com/services/***',
    );
    assert.equal(redact(`value ${PLANTED} here`, [PLANTED]), 'value *** here');
  });

  it('sends a webhook URL’s credentials as Basic authorization (fetch refuses them in the URL)', async () => {
    const { createServer } = await import('node:http');
    let seen: string | undefined;
    const server = createServer((req, res) => {
      seen = req.headers.authorization;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const d = new NotificationDispatcher(
      [{ name: 'hook', url: `http://alerts:pa%40ss@127.0.0.1:${port}/hook`, body: () => ({}) }],
      {},
    );
    d.send({ key: 'k', event: 'release-started', releaseId: 'r', platform: 'p', text: 'hi' });
    await d.flush();
    server.close();
    assert.equal(seen, `Basic ${Buffer.from('alerts:pa@ss').toString('base64')}`);
  });

  it('keeps a failing webhook’s URL out of the log', async () => {
    const lines: string[] = [];
    const url = `http://alerts:${PLANTED}@127.0.0.1:9/hook`;
    const d = new NotificationDispatcher([{ name: 'hook', url, body: (m) => ({ text: m.text }) }], {
      log: (l) => lines.push(l),
      retries: 1,
      timeoutMs: 500,
    });
    d.send({ key: 'k', event: 'release-started', releaseId: 'r', platform: 'p', text: 'hi' });
    await d.flush();
    assert.ok(lines.length >= 2, lines.join('\n'));
    assert.ok(
      lines.every((l) => !l.includes(PLANTED)),
      lines.join('\n'),
    );
  });
});
