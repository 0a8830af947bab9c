/** @module How the local target runs one service, derived from the spec. */
import { resolve } from 'node:path';
import type { Platform } from '../../spec/schema/platform.js';
import { parseDuration } from '../../spec/units.js';
import type { BalanceMode } from './balancer.js';
import { DEFAULT_LIVENESS, DEFAULT_READINESS, type ProbeConfig } from './probe.js';

export interface LocalServiceConfig {
  name: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Extra env per version (the demo makes v3 faulty this way). */
  versionEnv: Record<string, Record<string, string>>;
  readiness: ProbeConfig;
  liveness?: ProbeConfig;
  gracePeriodMs: number;
  balance?: BalanceMode;
}

type Probe = NonNullable<NonNullable<Platform['services'][string]['health']>['readiness']>;

function probeConfig(probe: Probe | undefined, defaults: ProbeConfig): ProbeConfig | undefined {
  if (probe === undefined) return undefined;
  if (typeof probe === 'string') return { ...defaults, path: probe };
  const ms = (d: string | undefined, fallback: number) => (d === undefined ? fallback : parseDuration(d));
  return {
    path: probe.path,
    initialDelayMs: ms(probe.initialDelay, defaults.initialDelayMs),
    periodMs: ms(probe.period, defaults.periodMs),
    timeoutMs: ms(probe.timeout, defaults.timeoutMs),
    failureThreshold: probe.failureThreshold ?? defaults.failureThreshold,
    successThreshold: probe.successThreshold ?? defaults.successThreshold,
  };
}

const strings = (env: Record<string, string | number | boolean> | undefined) =>
  Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));

type EnvValue = NonNullable<NonNullable<Platform['services'][string]['config']>['env']>[string];

/**
 * Literal env values only. References (secretRef, vault, configMapRef, fieldRef) have no local source;
 * a local service reads those from Slipway's own environment under the same name, if set.
 */
function literalEnv(env: Record<string, EnvValue> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (typeof value !== 'object') out[name] = String(value);
    else if (value.value !== undefined) out[name] = String(value.value);
  }
  return out;
}

/** Local run settings of every service that has a `local` block. `root` resolves relative working directories. */
export function localServices(spec: Platform, root: string): LocalServiceConfig[] {
  return Object.entries(spec.services)
    .filter(([, s]) => s.local !== undefined)
    .map(([name, s]) => {
      const local = s.local!;
      const env = { ...literalEnv(s.config?.env), ...strings(local.env) };
      return {
        name,
        command: local.command,
        cwd: resolve(root, local.cwd ?? '.'),
        env,
        versionEnv: Object.fromEntries(
          Object.entries(local.versions ?? {}).map(([v, c]) => [v, strings(c.env)]),
        ),
        readiness: probeConfig(s.health?.readiness, DEFAULT_READINESS) ?? DEFAULT_READINESS,
        ...(s.health?.liveness ? { liveness: probeConfig(s.health.liveness, DEFAULT_LIVENESS)! } : {}),
        gracePeriodMs: local.gracePeriod ? parseDuration(local.gracePeriod) : 10_000,
      };
    });
}
