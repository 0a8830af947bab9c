/** @module HTTP and TCP probes of a replica, as the kubelet runs them. */
import { get } from 'node:http';
import { connect } from 'node:net';

export interface ProbeConfig {
  path?: string;
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
}

export const DEFAULT_READINESS: ProbeConfig = {
  initialDelayMs: 0,
  periodMs: 1000,
  timeoutMs: 1000,
  failureThreshold: 3,
  successThreshold: 1,
};
export const DEFAULT_LIVENESS: ProbeConfig = {
  initialDelayMs: 10_000,
  periodMs: 10_000,
  timeoutMs: 1000,
  failureThreshold: 3,
  successThreshold: 1,
};

/** One probe: 2xx/3xx on the path, or (with no path) a TCP connection that opens. */
export function probeOnce(port: number, config: ProbeConfig): Promise<boolean> {
  return new Promise((resolve) => {
    if (!config.path) {
      const socket = connect({ port, host: '127.0.0.1', timeout: config.timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
      return;
    }
    const req = get(
      { host: '127.0.0.1', port, path: config.path, agent: false, timeout: config.timeoutMs },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400);
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
