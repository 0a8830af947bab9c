/**
 * `slipway serve` as a child process of a bench (the built CLI, as a user runs it): started on port 0,
 * its API and local routers' addresses read from what it prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface Served {
  child: ChildProcess;
  api: string;
  /** `cluster/service` → the router's address. */
  routers: Map<string, string>;
  exited: Promise<unknown>;
}

export async function serve(spec: string, stateDir: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['bin/slipway.js', 'serve', '-f', spec, '--state-dir', stateDir, '--port', '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  const deadline = Date.now() + 60_000;
  while (!/^ {2}cluster .*$/m.test(out) || !/ on (http:\S+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`slipway serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const routers = new Map<string, string>();
  for (const m of out.matchAll(/^ {2}cluster (\S+): metrics \S+; (.*)$/gm))
    for (const [, service, url] of m[2]!.matchAll(/(\S+) (http:\S+?)(?:,|$)/g))
      routers.set(`${m[1]}/${service}`, url!);
  return { child, api: / on (http:\S+)/.exec(out)![1]!, routers, exited };
}

/** Releases `service@version` through the API and waits for it to end; its final status. */
export async function release(api: string, service: string, version: string): Promise<string> {
  const created = (await (
    await fetch(`${api}/v1/releases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request: { changes: [{ service, version }] } }),
    })
  ).json()) as { id: string };
  for (;;) {
    const { status } = (await (await fetch(`${api}/v1/releases/${created.id}`)).json()) as { status: string };
    if (['succeeded', 'rolled-back', 'failed'].includes(status)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
}
