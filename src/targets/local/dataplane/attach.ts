/**
 * @module Finding the state directory's data plane process, or starting one: a controller attaches to a
 * running data plane whose config is its own (its replicas and ports carry on through the restart),
 * replaces one whose local services changed, kills one that runs but no longer answers, and starts one
 * where none answers.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemoteError, SlipwayError } from '../../../errors/index.js';
import { isAlive as alive, untilGone } from '../../../io/is-alive.js';
import { signalGroup } from '../../../io/signal-group.js';
import { sleep } from '../../../io/sleep.js';
import { writeFileAtomic } from '../../../io/write-atomic.js';
import {
  configHash,
  configPath,
  type DataPlaneConfig,
  type DataPlaneInfo,
  errorPath,
  HUNG_AFTER_MS,
  infoPath,
  logPath,
} from './protocol.js';
import { DataPlaneClient } from './remote-local-target.js';
import { fromWire } from './wire-error.js';

/** The data plane recorded in the state directory, if its process runs (it may not answer). */
function recordedDataPlane(stateDir: string): DataPlaneInfo | undefined {
  const path = infoPath(stateDir);
  if (!existsSync(path)) return undefined;
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as DataPlaneInfo;
    return alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** The data plane recorded in the state directory, if it is running and answers. */
export async function runningDataPlane(stateDir: string): Promise<DataPlaneClient | undefined> {
  const info = recordedDataPlane(stateDir);
  return info && answering(info);
}

/** A client of the data plane, if it answers /hello now. */
export async function answering(info: DataPlaneInfo): Promise<DataPlaneClient | undefined> {
  try {
    return new DataPlaneClient(info, (await DataPlaneClient.hello(info)).endpoints);
  } catch {
    return undefined;
  }
}

/**
 * A data plane that runs but does not answer (stopped, or its loop stuck) holds the services' ports and
 * replicas: it is given a few seconds to answer, then killed, so that a new one can take over (the new one
 * reaps the replicas it leaves). Returns the data plane if it answered after all.
 */
async function recoverOrStopHung(
  stateDir: string,
  log?: (line: string) => void,
): Promise<DataPlaneClient | undefined> {
  const info = recordedDataPlane(stateDir);
  if (!info || !isDataPlaneOf(info.pid, stateDir)) return undefined;
  const deadline = Date.now() + HUNG_AFTER_MS;
  while (Date.now() < deadline) {
    const client = await answering(info);
    if (client) return client;
    await sleep(250);
  }
  log?.(
    `local clusters: the data plane (pid ${info.pid}) runs but has not answered for ${HUNG_AFTER_MS / 1000} s: killing it`,
  );
  // It leads its own session (started detached); its replicas are reaped by the next data plane.
  signalGroup(info.pid, 'SIGTERM');
  if (!(await untilGone(info.pid, 5_000))) signalGroup(info.pid, 'SIGKILL');
  await untilGone(info.pid, 5_000);
  return undefined;
}

/** Whether the pid still is this state directory's data plane (not another process that got its pid). */
function isDataPlaneOf(pid: number, stateDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.some((a) => /dataplane-main\.[jt]s$/.test(a)) && args.includes(stateDir);
  } catch {
    return false; // no /proc, or gone: never signal a process we cannot recognise
  }
}

/** Asks the data plane to drain and stop, and waits until its process is gone. */
export async function stopDataPlane(client: DataPlaneClient, timeoutMs = 120_000): Promise<void> {
  await client.shutdown();
  await untilGone(client.info.pid, timeoutMs);
}

export async function attachDataPlane(
  config: DataPlaneConfig,
  log?: (line: string) => void,
): Promise<DataPlaneClient> {
  const absolute = { ...config, stateDir: resolve(config.stateDir) };
  const hash = configHash(absolute);
  const running =
    (await runningDataPlane(absolute.stateDir)) ?? (await recoverOrStopHung(absolute.stateDir, log));
  if (running?.info.configHash === hash) {
    log?.(
      `local clusters: attached to the data plane (pid ${running.info.pid}); its replicas and ports carry on`,
    );
    return running;
  }
  if (running) {
    log?.(
      `local clusters: the local services changed since the data plane (pid ${running.info.pid}) started: replacing it`,
    );
    await stopDataPlane(running);
  }
  return startDataPlane(absolute, log);
}

/**
 * The router allocates a little per request: a larger young generation makes its collections rarer, which
 * shows in the tail latency under load (bench/router).
 */
const NODE_FLAGS = ['--max-semi-space-size=32'];

/** This module's sibling entry point, and how to run it (TypeScript sources run through tsx, as tests do). */
function entryArgs(): string[] {
  const here = fileURLToPath(import.meta.url);
  const entry = resolve(dirname(here), `dataplane-main${here.endsWith('.ts') ? '.ts' : '.js'}`);
  return here.endsWith('.ts') ? ['--import', import.meta.resolve('tsx'), entry] : [entry];
}

async function startDataPlane(
  config: DataPlaneConfig,
  log?: (line: string) => void,
): Promise<DataPlaneClient> {
  const { stateDir } = config;
  writeFileAtomic(configPath(stateDir), JSON.stringify(config));
  rmSync(errorPath(stateDir), { force: true });
  rmSync(infoPath(stateDir), { force: true });
  mkdirSync(dirname(logPath(stateDir)), { recursive: true });
  keepLogBounded(logPath(stateDir));
  const out = openSync(logPath(stateDir), 'a');
  // Detached, in a session of its own: a controller killed with its process group leaves it running.
  const child = spawn(process.execPath, [...NODE_FLAGS, ...entryArgs(), stateDir], {
    detached: true,
    stdio: ['ignore', out, out],
    env: process.env,
  });
  closeSync(out);
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw startError(stateDir);
    const running = await runningDataPlane(stateDir);
    if (running && running.info.pid === child.pid) {
      log?.(`local clusters: started the data plane (pid ${child.pid}; log ${logPath(stateDir)})`);
      return running;
    }
    await sleep(50);
  }
  child.kill('SIGTERM');
  throw new SlipwayError('LOCAL_DATAPLANE_START', 'the local data plane did not start within 60 s', {
    hint: `see ${logPath(stateDir)}`,
  });
}

/** The log is appended to by every data plane here; past 1 MB the older part moves to `.1` (one kept). */
function keepLogBounded(path: string): void {
  if (existsSync(path) && statSync(path).size > LOG_BYTES) renameSync(path, `${path}.1`);
}

const LOG_BYTES = 1024 * 1024;

/** Why the data plane exited at its start, with the code it raised (LOCAL_PORT_IN_USE, …). */
function startError(stateDir: string): SlipwayError {
  const unknown = () =>
    new SlipwayError('LOCAL_DATAPLANE_START', 'the local data plane exited as it started', {
      hint: `see ${logPath(stateDir)}`,
    });
  let written: unknown;
  try {
    written = JSON.parse(readFileSync(errorPath(stateDir), 'utf8'));
  } catch {
    return unknown();
  }
  const e = fromWire(written, unknown);
  // A code of its own only when the error is one Slipway names (LOCAL_PORT_IN_USE, …); else a start failure.
  return e instanceof RemoteError
    ? new SlipwayError('LOCAL_DATAPLANE_START', e.message, { hint: `see ${logPath(stateDir)}` })
    : e;
}
