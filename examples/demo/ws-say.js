#!/usr/bin/env node
// Says each message over a WebSocket and prints each answer: node examples/demo/ws-say.js URL MESSAGE...
// e.g. node examples/demo/ws-say.js ws://127.0.0.1:8080/echo hello again (needs `npm ci` for `ws`).
import WebSocket from 'ws';

const [url = 'ws://127.0.0.1:8080/echo', ...messages] = process.argv.slice(2);
const ws = new WebSocket(url);
const fail = (why) => {
  console.error(`error: ${url}: ${why}`);
  process.exit(2);
};
ws.on('unexpected-response', (_req, res) => fail(`answered ${res.statusCode} instead of a WebSocket`));
ws.on('error', (error) => fail(error.message));
ws.on('open', () => {
  let left = messages.length;
  if (left === 0) return ws.close();
  ws.on('message', (data) => {
    console.log(String(data));
    if (--left === 0) ws.close();
  });
  for (const message of messages) ws.send(message);
});
