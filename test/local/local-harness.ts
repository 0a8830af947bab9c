/** Starts a LocalTarget running the demo service, and always tears it down. */
import { resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTarget } from '../../src/targets/local/local-target.js';
import { DEFAULT_READINESS } from '../../src/targets/local/probe.js';
import type { LocalServiceConfig } from '../../src/targets/local/service-config.js';
import type { ServiceRef } from '../../src/targets/target.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export function demoService(overrides: Partial<LocalServiceConfig> = {}): LocalServiceConfig {
  return {
    name: 'web',
    command: 'node examples/demo/service.js',
    cwd: ROOT,
    env: {},
    versionEnv: {},
    readiness: { ...DEFAULT_READINESS, path: '/health/ready', periodMs: 200 },
    gracePeriodMs: 5_000,
    ...overrides,
  };
}

export interface Harness {
  target: LocalTarget;
  ref: ServiceRef;
  stateDir: string;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startTarget(
  services: LocalServiceConfig[] = [demoService()],
  cluster = 'test',
): Promise<Harness> {
  const stateDir = mkdtempSync(join(tmpdir(), 'slipway-local-'));
  const target = new LocalTarget({ cluster, services, stateDir });
  await target.start();
  return {
    target,
    ref: { service: services[0]!.name, cluster },
    stateDir,
    [Symbol.asyncDispose]: () => target.close(),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds, failing after `timeoutMs` (generous: tests run on a busy 2-core machine). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}
