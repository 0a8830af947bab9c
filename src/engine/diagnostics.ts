/**
 * @module A release's diagnostics bundle (seed 000's collect-diagnostics.sh): one .tar.gz with the release
 * and its plan, every event with its evidence, the spec, what each touched target sees of each touched
 * service (status, replica logs or workloads and pods), and the output of the spec's diagnostics commands
 * on each touched cluster. Every value of a secret the controller holds (notification and provider
 * credentials, tokens) and every URL credential is masked in every file before anything is written.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { stringify } from 'yaml';
import type { Plan } from '../plan/types.js';
import type { Platform } from '../spec/schema/platform.js';
import type { Store } from '../store/store.js';
import { redact } from '../security/redact.js';
import { runCheck } from './gates/run-check.js';
import type { TargetsByCluster } from './ports.js';
import { foldEvents } from './state.js';

export interface DiagnosticsDeps {
  store: Store;
  spec: Platform;
  targets: TargetsByCluster;
  cwd: string;
  /** Where bundles go unless the spec's `diagnostics.dir` says otherwise. */
  diagnosticsDir?: string;
}

/** The spec's `diagnostics.dir` (relative to the spec), else the controller's default. */
export function diagnosticsDirOf(deps: DiagnosticsDeps): string {
  const dir = deps.spec.diagnostics?.dir;
  return dir ? resolve(deps.cwd, dir) : (deps.diagnosticsDir ?? resolve(deps.cwd, '.slipway', 'diagnostics'));
}

const SECRET_NAME = /TOKEN|SECRET|PASSW|PASS$|KEY|WEBHOOK|CREDENTIAL|AUTH/i;

/** The values to keep out: the env vars the spec names for credentials, and any env var named like one. */
export function secretValues(spec: Platform, env: NodeJS.ProcessEnv = process.env): string[] {
  const named = new Set<string>();
  const walk = (value: unknown, key = '') => {
    if (typeof value === 'string' && /Env$/.test(key)) named.add(value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(spec);
  for (const name of Object.keys(env)) if (SECRET_NAME.test(name)) named.add(name);
  const values = [...named].flatMap((name) => {
    const v = env[name];
    // Header files hold one secret per line; a URL's credentials are secret as a whole.
    return v ? [v, ...v.split('\n').map((l) => l.replace(/^[^:]+:\s*/, ''))] : [];
  });
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
}

async function collect(deps: DiagnosticsDeps, releaseId: string, signal?: AbortSignal) {
  const record = await deps.store.release(releaseId);
  const events = await deps.store.events(releaseId);
  const state = foldEvents(events);
  const plan = (record?.plan ?? {}) as unknown as Plan;
  const files: Record<string, string> = {
    'README.txt': `Diagnostics of release ${releaseId} (${state.status}), written ${new Date().toISOString()}.\n${state.failure ? `Failure: ${state.failure.reason}\n` : ''}`,
    'release.json': JSON.stringify(
      { release: record, status: state.status, failure: state.failure },
      null,
      2,
    ),
    'events.jsonl': events.map((e) => JSON.stringify(e)).join('\n') + '\n',
    'spec.yaml': stringify(deps.spec),
  };
  const touched = [...new Map((plan.touches ?? []).map((t) => [`${t.cluster}/${t.service}`, t])).values()];
  for (const t of touched) {
    const target = deps.targets.get(t.cluster);
    if (!target) continue;
    const ref = { service: t.service, cluster: t.cluster };
    const at = `clusters/${t.cluster}/${t.service}`;
    try {
      files[`${at}/status.json`] = JSON.stringify(await target.observe(ref), null, 2);
      for (const [name, text] of Object.entries((await target.diagnostics?.(ref)) ?? {}))
        files[`${at}/${name}`] = text;
    } catch (error) {
      files[`${at}/error.txt`] = (error as Error).message;
    }
  }
  // The spec's commands, once per touched cluster, with what a check gets to reach it.
  for (const cluster of [...new Set(touched.map((t) => t.cluster))]) {
    const t = touched.find((x) => x.cluster === cluster)!;
    const status = await deps.targets
      .get(cluster)
      ?.observe({ service: t.service, cluster })
      .catch(() => undefined);
    for (const command of deps.spec.diagnostics?.commands ?? []) {
      const evidence = await runCheck(
        command.name,
        { command: { run: command.run, timeout: '1m' } },
        {
          service: t.service,
          version: t.to,
          cluster,
          environment: t.environment,
          namespace: deps.spec.services[t.service]?.namespace ?? '',
          cwd: deps.cwd,
          ...(status?.commandEnv ? { env: status.commandEnv } : {}),
        },
        signal,
      );
      files[`commands/${cluster}/${command.name}.txt`] =
        `$ ${command.run}\n${String(evidence['output'] ?? '')}\n(${evidence.summary})\n`;
    }
  }
  return files;
}

/** Writes the bundle into `dir` (mode 0600) and answers its path. */
export async function writeDiagnostics(
  deps: DiagnosticsDeps,
  releaseId: string,
  dir: string,
  signal?: AbortSignal,
): Promise<string> {
  const files = await collect(deps, releaseId, signal);
  const secrets = secretValues(deps.spec);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${releaseId}-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`);
  const archive = pack();
  for (const [name, text] of Object.entries(files))
    archive.entry({ name: `${releaseId}/${name}`, mode: 0o600 }, redact(text, secrets));
  archive.finalize();
  await pipeline(archive, createGzip(), createWriteStream(path, { mode: 0o600, flags: 'wx' }));
  return path;
}
