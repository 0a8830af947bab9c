/** @module Checks as gates: an HTTP probe, a command (smoke and integration tests), or a bounded load test. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoadGenerator } from '../../loadgen/load-generator.js';
import type { Platform } from '../../spec/schema/platform.js';
import { parseDuration, parsePercent } from '../../spec/units.js';
import {
  type CheckRequest,
  type CheckResponse,
  PIN_GROUP_HEADER,
  type TrafficGroup,
} from '../../targets/target.js';
import { childEnv } from '../../security/child-env.js';
import type { Evidence } from '../events.js';

export interface CheckTarget {
  service: string;
  version: string;
  cluster: string;
  environment: string;
  namespace: string;
  /** Base URL of the service (the router, on the local target), for load checks and commands. */
  endpoint?: string;
  group?: TrafficGroup;
  cwd: string;
  /** Sends an HTTP check's request through the service's target (router or service proxy). */
  send?: (request: CheckRequest) => Promise<CheckResponse>;
  /** What a command check gets to reach the service's cluster (KUBECONFIG, context, namespace). */
  env?: Record<string, string>;
}

type Check = NonNullable<Platform['checks']>[string];

const PLACEHOLDER = /\{\{\s*(service|version|cluster|namespace|environment)\s*\}\}/g;

const template = (text: string, t: CheckTarget) =>
  text.replace(PLACEHOLDER, (_, k: keyof CheckTarget) => String(t[k] ?? ''));

/**
 * A value as one shell word: left as it is when it holds only characters no shell treats specially (so
 * it also works inside the user's own double quotes), single-quoted otherwise. Versions and names are
 * validated long before this; this is the last guard between a string and `/bin/sh -c`.
 */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9._:@%+=,/-]*$/.test(value) && value !== ''
    ? value
    : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `{{version}}` in `expectOutput` matches the version literally (a "." is not any character). */
const regexTemplate = (text: string, t: CheckTarget) =>
  text.replace(PLACEHOLDER, (_, k: keyof CheckTarget) =>
    String(t[k] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );

const shellTemplate = (text: string, t: CheckTarget) =>
  text.replace(PLACEHOLDER, (_, k: keyof CheckTarget) => shellWord(String(t[k] ?? '')));

export async function runCheck(
  name: string,
  check: Check,
  t: CheckTarget,
  signal?: AbortSignal,
): Promise<Evidence> {
  if (check.http) return httpCheck(name, check.http, t, signal);
  if (check.command) return commandCheck(name, check.command, t, signal);
  if (check.load) return loadCheck(name, check.load, t);
  return { verdict: 'inconclusive', summary: `check ${name} has nothing to run` };
}

async function httpCheck(
  name: string,
  http: NonNullable<Check['http']>,
  t: CheckTarget,
  signal?: AbortSignal,
): Promise<Evidence> {
  const url = http.url;
  if (!url && !t.send)
    return { verdict: 'inconclusive', summary: `check ${name}: no URL and no way to reach ${t.service}` };
  const expect = http.expect === undefined ? [200] : Array.isArray(http.expect) ? http.expect : [http.expect];
  const attempts = (http.retries ?? 0) + 1;
  const interval = http.interval ? parseDuration(http.interval) : 1000;
  const timeout = http.timeout ? parseDuration(http.timeout) : 10_000;
  let last = '';
  for (let i = 1; i <= attempts; i++) {
    try {
      const res = url
        ? await fetch(url, {
            method: http.method ?? 'GET',
            headers: http.headers ?? {},
            ...(http.body ? { body: http.body } : {}),
            signal: AbortSignal.any([AbortSignal.timeout(timeout), ...(signal ? [signal] : [])]),
          }).then(async (r) => ({ status: r.status, body: await r.text() }))
        : await t.send!({
            method: http.method ?? 'GET',
            path: http.path ?? '/',
            headers: http.headers ?? {},
            ...(http.body ? { body: http.body } : {}),
            ...(http.port ? { port: http.port } : {}),
            ...(t.group ? { group: t.group } : {}),
            timeoutMs: timeout,
          });
      if (expect.includes(res.status)) {
        return {
          verdict: 'pass',
          summary: `${http.method ?? 'GET'} ${http.path ?? url ?? '/'} → ${res.status}`,
          attempts: i,
          status: res.status,
        };
      }
      last = `${res.status} (expected ${expect.join(' or ')})`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (i < attempts) await new Promise((r) => setTimeout(r, interval));
  }
  return {
    verdict: 'fail',
    summary: `${http.method ?? 'GET'} ${http.path ?? url ?? '/'} → ${last} after ${attempts} attempt(s)`,
    attempts,
  };
}

function commandCheck(
  name: string,
  command: NonNullable<Check['command']>,
  t: CheckTarget,
  signal?: AbortSignal,
): Promise<Evidence> {
  const run = shellTemplate(command.run, t);
  const timeout = command.timeout ? parseDuration(command.timeout) : 300_000;
  // A relative cwd is the spec's, as the runbook's paths are: not wherever the controller was started.
  const cwd = command.cwd ? resolve(t.cwd, template(command.cwd, t)) : t.cwd;
  if (!existsSync(cwd))
    return Promise.resolve({ verdict: 'fail', summary: `${name}: its cwd ${cwd} does not exist` });
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', run], {
      cwd,
      env: childEnv({
        SLIPWAY_SERVICE: t.service,
        SLIPWAY_VERSION: t.version,
        SLIPWAY_CLUSTER: t.cluster,
        SLIPWAY_ENVIRONMENT: t.environment,
        SLIPWAY_NAMESPACE: t.namespace,
        ...t.env,
        ...(t.endpoint ? { SLIPWAY_ENDPOINT: t.endpoint } : {}),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    };
    const timer = setTimeout(kill, timeout);
    signal?.addEventListener('abort', kill, { once: true });
    let finished = false;
    const finish = (code: number | null, error?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      const expected = command.expectExit ?? 0;
      const matches = command.expectOutput
        ? new RegExp(regexTemplate(command.expectOutput, t)).test(output)
        : true;
      const ok = code === expected && matches && !error;
      const tail = output.trim().split('\n').slice(-20).join('\n');
      resolve({
        verdict: ok ? 'pass' : 'fail',
        summary: error
          ? `${name}: ${error}`
          : code === null
            ? `${name}: killed after ${timeout} ms`
            : `${name}: exit code ${code}${code !== expected ? ` (expected ${expected})` : ''}${matches ? '' : `; output does not match /${command.expectOutput}/`}`,
        command: run,
        exitCode: code,
        output: tail,
      });
    };
    child.once('error', (e) => finish(null, e.message));
    // 'close', not 'exit': the process can exit before its last output is read (seen on a busy machine:
    // a command's whole output was lost).
    child.once('close', (code) => finish(code));
  });
}

async function loadCheck(name: string, load: NonNullable<Check['load']>, t: CheckTarget): Promise<Evidence> {
  if (!t.endpoint)
    return { verdict: 'inconclusive', summary: `load check ${name}: no endpoint for ${t.service}` };
  const report = await new LoadGenerator({
    url: `${t.endpoint}${load.path ?? '/'}`,
    rps: load.rps,
    durationMs: parseDuration(load.duration),
    ...(load.concurrency ? { concurrency: load.concurrency } : {}),
    ...(t.group ? { headers: { [PIN_GROUP_HEADER]: t.group } } : {}),
  }).run();
  const errorRate = report.requests ? report.failed / report.requests : 1;
  const maxErrorRate = load.maxErrorRate !== undefined ? parsePercent(load.maxErrorRate) : 0.01;
  const breaches: string[] = [];
  if (errorRate > maxErrorRate) breaches.push(`errors above ${(maxErrorRate * 100).toFixed(2)}%`);
  const latency = [
    ['p95', report.latencyMs.p95, load.maxP95],
    ['mean', report.latencyMs.mean, load.maxMean],
  ] as const;
  for (const [what, ms, max] of latency)
    if (max !== undefined && ms > parseDuration(max)) breaches.push(`${what} above ${parseDuration(max)} ms`);
  return {
    verdict: breaches.length ? 'fail' : 'pass',
    summary: `${name}: ${report.requests} requests at ${report.rps}/s, ${(errorRate * 100).toFixed(2)}% errors (max ${(maxErrorRate * 100).toFixed(2)}%), p95 ${report.latencyMs.p95} ms, mean ${report.latencyMs.mean} ms${breaches.length ? `: ${breaches.join(', ')}` : ''}`,
    report,
  };
}
