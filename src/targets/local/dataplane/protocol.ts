/**
 * @module The local data plane's control channel: what the controller asks of the process that runs the
 * routers and the replicas (one per state directory), and where that process says it listens.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LocalServiceConfig } from '../service-config.js';

/** One local cluster as the data plane runs it. */
export interface DataPlaneCluster {
  cluster: string;
  services: LocalServiceConfig[];
  routerPorts?: Record<string, number>;
  adminPort?: number;
}

export interface DataPlaneConfig {
  stateDir: string;
  clusters: DataPlaneCluster[];
}

/** What a running data plane records in `STATE/run/dataplane.json` (mode 0600: the token is its key). */
export interface DataPlaneInfo {
  pid: number;
  port: number;
  token: string;
  configHash: string;
  startedAt: string;
}

/** Where each cluster's services and admin endpoint listen. */
export type Endpoints = Record<string, { adminUrl: string; services: Record<string, string> }>;

/** The Target methods the controller calls over the channel (the rest are answered on its side). */
export const REMOTE_METHODS = [
  'ensureReplicas',
  'ensureWeights',
  'promote',
  'diagnostics',
  'scaleToZero',
  'observe',
  'preflight',
  'snapshot',
  'restore',
  'send',
  'trafficOf',
] as const;
export type RemoteMethod = (typeof REMOTE_METHODS)[number];

export interface Call {
  cluster: string;
  method: RemoteMethod;
  args: unknown[];
}

export const TOKEN_HEADER = 'x-slipway-dataplane-token';

/**
 * A data plane whose process runs but has not answered /hello for this long is taken as hung: a call to it
 * fails instead of waiting for ever, and the next controller check kills it and starts a new one.
 */
export const HUNG_AFTER_MS = 6_000;

export const infoPath = (stateDir: string) => join(stateDir, 'run', 'dataplane.json');
export const errorPath = (stateDir: string) => join(stateDir, 'run', 'dataplane.error.json');
/** The ports the last data plane listened on, per cluster: the next one takes them again where free. */
export const portsPath = (stateDir: string) => join(stateDir, 'run', 'ports.json');
export const configPath = (stateDir: string) => join(stateDir, 'run', 'dataplane.config.json');
export const logPath = (stateDir: string) => join(stateDir, 'logs', 'dataplane.log');

/** Two controllers with the same hash run the same data plane; another hash needs a new one. */
export function configHash(config: DataPlaneConfig): string {
  return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
}
