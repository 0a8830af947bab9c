/** Starts `slipway serve` as a separate process on a spec in `dir`, and stops it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, sleep } from '../local/local-harness.js';

/** `slipway serve` on the spec in `dir`, state in dir/state. */
export const serveArgs = (dir: string, port: number | string) => [
  'bin/slipway.js',
  'serve',
  '-f',
  join(dir, 'slipway.yaml'),
  '--state-dir',
  join(dir, 'state'),
  '--port',
  String(port),
];

export interface Controller {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
  /** What it printed so far. */
  output: () => string;
}

/** `dir` holds slipway.yaml; the state goes to dir/state and failpoints to dir/failpoints.log. */
export async function startController(
  dir: string,
  env: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<Controller> {
  // Port 0 and the address it prints: a port probed free and bound later can be taken in between (an
  // outgoing connection's ephemeral port took one under load: SERVE_PORT_IN_USE).
  const child = spawn(process.execPath, [...serveArgs(dir, 0), ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env, SLIPWAY_FAILPOINT_LOG: join(dir, 'failpoints.log') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const url = /slipway controller for platform \S+ on (\S+)/.exec(output)?.[1] ?? '';
    const started = { child, url, exited, output: () => output };
    if (child.exitCode !== null || child.signalCode !== null) return started;
    try {
      if (url && (await fetch(`${url}/healthz`)).ok) return started;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`controller did not start:\n${output}`);
    await sleep(50);
  }
}

/** SIGTERM: the controller drains and exits. */
export async function stop(c: Controller): Promise<void> {
  c.child.kill('SIGTERM');
  await c.exited;
}

/** A JSON call to the controller's API; undefined when the controller died under it (expected in crash tests). */
export async function callController<T>(
  c: Controller,
  method: string,
  path: string,
  body?: unknown,
): Promise<T | undefined> {
  try {
    const res = await fetch(`${c.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as T;
  } catch {
    return undefined;
  }
}
