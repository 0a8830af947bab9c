/** Runs wrk (closed loop, fixed connections) and parses its summary. */
import { spawn } from 'node:child_process';
import { assertLoopback } from '../../src/loadgen/loopback.js';

export interface WrkResult {
  rps: number;
  requests: number;
  non2xx: number;
  socketErrors: number;
  p50Ms: number;
  p99Ms: number;
}

function ms(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

/** Async on purpose: the router under test may live in this very process, so its event loop must keep running. */
export async function wrk(url: string, seconds: number, connections = 32): Promise<WrkResult> {
  assertLoopback(url);
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`wrk failed (${code}): ${err}`);
  const pick = (re: RegExp) => re.exec(out)?.[1] ?? '';
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: Number(pick(/Requests\/sec:\s+([\d.]+)/)),
    requests: Number(pick(/(\d+) requests in/)),
    non2xx: Number(pick(/Non-2xx or 3xx responses: (\d+)/) || 0),
    socketErrors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    p50Ms: ms(pick(/^\s+50%\s+(\S+)$/m)),
    p99Ms: ms(pick(/^\s+99%\s+(\S+)$/m)),
  };
}
