/**
 * A real PostgreSQL for the tests (Debian's `postgresql`, installed by scripts/install-test-deps.sh): a
 * cluster created with `initdb` in a temporary directory, on a loopback port, trust authentication for the
 * `slipway` role; each caller gets a fresh database. PostgreSQL refuses to run as root, so as root the
 * cluster runs as the package's `postgres` user.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/targets/local/free-port.js';

/** initdb and postgres: on PATH, else in Debian's versioned directory (the newest). */
function binary(name: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    const versions = existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
      : [];
    for (const v of versions) {
      const path = `/usr/lib/postgresql/${v}/bin/${name}`;
      if (existsSync(path)) return path;
    }
    throw new Error(`${name} not found: run scripts/install-test-deps.sh (Debian's postgresql)`);
  }
}

const asRoot = process.getuid?.() === 0;
const ids = () => ({
  uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
  gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
});
/** The command, as the postgres user when we are root. */
const RUNUSER = existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : 'runuser';
const command = (bin: string, args: string[]): [string, string[]] =>
  asRoot ? [RUNUSER, ['-u', 'postgres', '--', bin, ...args]] : [bin, args];

export interface RunningPostgres {
  /** A URL to a database of its own. */
  freshDatabase(): Promise<string>;
  /** The server's URL (database postgres). */
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-pg-'));
  if (asRoot) chownSync(dir, ids().uid, ids().gid);
  const data = join(dir, 'data');
  const [initdb, initArgs] = command(binary('initdb'), [
    '-D',
    data,
    '-U',
    'slipway',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [postgres, args] = command(binary('postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
    '-c',
    'max_connections=200',
  ]);
  const child: ChildProcess = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `postgres://slipway@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not get ready: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let n = 0;
  return {
    url,
    async freshDatabase() {
      const name = `t${process.pid}_${++n}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      return `postgres://slipway@127.0.0.1:${port}/${name}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        // SIGINT is PostgreSQL's fast shutdown. It goes to the postmaster itself: runuser does not pass it on.
        try {
          const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
          process.kill(Number.isInteger(pid) && pid > 0 ? pid : child.pid!, 'SIGINT');
        } catch {
          child.kill('SIGKILL');
        }
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
