/**
 * @module The data plane process (`node dataplane-main.js STATE_DIR`), started detached by a controller:
 * it reads the config the controller wrote, runs the local clusters, and says where it listens in
 * STATE/run/dataplane.json. SIGTERM, SIGINT or a controller's shutdown drain everything; a killed
 * controller leaves it running for the next one to attach to.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { toSlipwayError } from '../../../errors/index.js';
import { writeFileAtomic } from '../../../io/write-atomic.js';
import { DataPlane } from './dataplane.js';
import { toWire } from './wire-error.js';
import { configPath, type DataPlaneConfig, type DataPlaneInfo, errorPath, infoPath } from './protocol.js';

const stateDir = process.argv[2] ?? '.slipway';
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const config = JSON.parse(readFileSync(configPath(stateDir), 'utf8')) as DataPlaneConfig;
let stopping = false;

async function stop(code: number, why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`stopping (${why}): draining every replica`);
  try {
    await plane.stop();
  } finally {
    // Only this process's record: a newer data plane may have replaced it.
    const info = infoPath(stateDir);
    if (existsSync(info) && (JSON.parse(readFileSync(info, 'utf8')) as DataPlaneInfo).pid === process.pid)
      rmSync(info, { force: true });
    log('stopped');
    process.exit(code);
  }
}

const plane = new DataPlane(config, () => void stop(0, 'asked by a controller'));
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void stop(0, signal));

try {
  const port = await plane.start();
  const info: DataPlaneInfo = {
    pid: process.pid,
    port,
    token: plane.token,
    configHash: plane.hash,
    startedAt: new Date().toISOString(),
  };
  writeFileAtomic(infoPath(stateDir), JSON.stringify(info));
  log(`data plane ${process.pid} on 127.0.0.1:${port}: ${JSON.stringify(plane.endpoints())}`);
} catch (thrown) {
  const e = toSlipwayError(thrown);
  log(`error ${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
  // The controller that started this process reports it as its own error, with the same code.
  writeFileAtomic(errorPath(stateDir), JSON.stringify(toWire(e)));
  await stop(1, 'it could not start');
}
