/** @module `slipway serve`: the controller — engine, local targets and the API the CLI talks to. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { pino } from 'pino';
import { SlipwayError } from '../../errors/index.js';
import { untilSignal } from '../../io/until-signal.js';
import { TokenStore } from '../../server/api-tokens.js';
import { HttpApi, REDACTED_LOG_PATHS } from '../../server/http-api.js';
import { OidcVerifier, parseRoleMap } from '../../server/oidc.js';
import { PlatformRuntime } from '../../server/platform-runtime.js';
import { requireSpec } from '../../spec/index.js';
import { parseDuration } from '../../spec/units.js';
import { KubernetesTarget } from '../../targets/kubernetes/kubernetes-target.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535)
    throw new SlipwayError('SERVE_BAD_PORT', `--port ${JSON.stringify(text)} is not a port`, {
      hint: 'a port is a whole number from 0 (any free port) to 65535',
    });
  return port;
}

function parseDataPlane(text: string): 'process' | 'in-process' {
  if (text === 'process' || text === 'in-process') return text;
  throw new SlipwayError('SERVE_BAD_DATA_PLANE', `--data-plane ${JSON.stringify(text)} is not a mode`, {
    hint: 'process (local clusters outlive a controller crash) or in-process',
  });
}

function parseLeaseTtl(text: string): number {
  let ms = Number.NaN;
  try {
    ms = parseDuration(text);
  } catch {
    // reported below
  }
  if (!(ms >= 1000 && ms <= 3_600_000))
    throw new SlipwayError('SERVE_BAD_LEASE_TTL', `--lease-ttl ${JSON.stringify(text)} is not a lease time`, {
      hint: 'a duration from 1s to 1h, e.g. 15s',
    });
  return ms;
}

interface ServeOptions {
  file: string;
  port: string;
  stateDir: string;
  logLevel: string;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  kubeconfig?: string;
  leaseTtl: string;
  dataPlane: string;
  oidcIssuer?: string;
  oidcAudience?: string;
  oidcRolesClaim: string;
  oidcRoleMap?: string;
}

function oidcFrom(o: ServeOptions): OidcVerifier | undefined {
  if (!o.oidcIssuer) return undefined;
  if (!o.oidcAudience)
    throw new SlipwayError('SERVE_OIDC_AUDIENCE', '--oidc-issuer needs --oidc-audience', {
      hint: "the client id your identity provider issues this controller's tokens for",
    });
  return new OidcVerifier({
    issuer: o.oidcIssuer,
    audience: o.oidcAudience,
    rolesClaim: o.oidcRolesClaim,
    ...(o.oidcRoleMap ? { roleMap: parseRoleMap(o.oidcRoleMap) } : {}),
  });
}

/** Both PEM files or neither; read now so that a bad path stops serve before anything starts. */
function readTls(o: { tlsCert?: string; tlsKey?: string }): { key: Buffer; cert: Buffer } | undefined {
  if (!o.tlsCert && !o.tlsKey) return undefined;
  if (!o.tlsCert || !o.tlsKey)
    throw new SlipwayError('SERVE_TLS_INCOMPLETE', 'HTTPS needs both --tls-cert and --tls-key');
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new SlipwayError('SERVE_TLS_UNREADABLE', `${flag} ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read('--tls-cert', o.tlsCert), key: read('--tls-key', o.tlsKey) };
}

const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'];

/** The API's request log: pino JSON lines on stderr; credentials never written. */
function requestLogger(level: string) {
  if (!LOG_LEVELS.includes(level))
    throw new SlipwayError('SERVE_BAD_LOG_LEVEL', `--log-level ${JSON.stringify(level)} is not a level`, {
      hint: LOG_LEVELS.join(', '),
    });
  return pino({ level, redact: REDACTED_LOG_PATHS }, pino.destination(2));
}

function checkStateDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new SlipwayError('SERVE_STATE_DIR_NOT_DIR', `--state-dir ${dir} is a file, not a directory`, {
      hint: 'give a directory (it is created when missing)',
    });
}

export function registerServe(program: Command, ctx: CommandContext): void {
  const command = program
    .command('serve')
    .description(
      'Run the controller: it hosts the release engine and the local target, and serves the API the CLI uses.',
    )
    .option('-f, --file <spec>', 'the platform spec', 'slipway.yaml')
    .option('--port <port>', 'API port', '7447')
    .option(
      '--host <address>',
      'the address to listen on; beyond loopback it needs --tls-cert/--tls-key and tokens',
      '127.0.0.1',
    )
    .option('--tls-cert <file>', 'PEM certificate (chain) for HTTPS')
    .option('--tls-key <file>', 'PEM private key for HTTPS')
    .option('--state-dir <dir>', 'history, logs and pid files', '.slipway')
    .option(
      '--log-level <level>',
      'request logs as JSON lines on stderr: silent, error, warn, info, debug',
      'info',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig for Kubernetes clusters (default $KUBECONFIG or ~/.kube/config)',
    )
    .option(
      '--oidc-issuer <url>',
      'also accept OIDC bearer tokens from this issuer (verified against its JWKS)',
    )
    .option('--oidc-audience <aud>', "the audience an OIDC token must be for (this controller's client id)")
    .option('--oidc-roles-claim <claim>', "the claim that lists the caller's groups or roles", 'groups')
    .option('--oidc-role-map <pairs>', 'groups named otherwise than a role, e.g. sre=operator,platform=admin')
    .option(
      '--data-plane <mode>',
      'process: local clusters run in a process of their own that keeps serving through a controller crash or restart; in-process: inside the controller',
      'process',
    )
    .option(
      '--lease-ttl <duration>',
      'how long a release stays with this controller without renewal; another controller on the same database takes it over after that',
      '15s',
    )
    .action((o: ServeOptions) => runServe(o, ctx));
  withExamples(
    command,
    `
# The demo platform's controller, then release from another terminal
slipway serve -f examples/demo/slipway.yaml
slipway release web@v1 && slipway release web@v2

# Beyond loopback: HTTPS and tokens are required
slipway token create --name admin --role admin
slipway serve -f slipway.yaml --host 0.0.0.0 --tls-cert tls.crt --tls-key tls.key

# Kubernetes clusters through a kubeconfig's contexts
slipway serve -f examples/x0tta6bl4-update/slipway.yaml --kubeconfig ~/.kube/config

# Two controllers on one PostgreSQL: either takes over the other's releases within the lease time
SLIPWAY_DATABASE_URL=postgres://slipway@db:5432/slipway slipway serve -f slipway.yaml --lease-ttl 15s`,
  );
}

async function runServe(o: ServeOptions, ctx: CommandContext): Promise<void> {
  const { spec, source } = requireSpec(o.file);
  const port = parsePort(o.port);
  const logger = requestLogger(o.logLevel);
  const tls = readTls(o);
  const leaseTtlMs = parseLeaseTtl(o.leaseTtl);
  const dataPlane = parseDataPlane(o.dataPlane);
  const oidc = oidcFrom(o);
  checkStateDir(o.stateDir);
  const log = (line: string) => ctx.io.out(`${new Date().toISOString()} ${line}`);
  const runtime = new PlatformRuntime({
    spec,
    root: process.cwd(),
    stateDir: o.stateDir,
    log,
    leaseTtlMs,
    dataPlane,
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
  });
  const tokens = new TokenStore(o.stateDir);
  const api = new HttpApi(runtime.controller, {
    logger,
    ...(tls ? { tls } : {}),
    tokens,
    metrics: runtime.metrics,
    specSource: source,
    ...(oidc ? { oidc } : {}),
  });
  let url: string;
  try {
    await runtime.start();
    url = await api.listen(port, o.host);
  } catch (error) {
    // Whatever started is stopped, so a controller that cannot serve exits at once instead of hanging.
    await runtime.close();
    throw error;
  }
  printServing(ctx, url, runtime, { tokens, oidcIssuer: oidc ? o.oidcIssuer : undefined });
  await untilSignal();
  ctx.io.out('stopping: releases in progress resume at the next start');
  await api.close();
  await runtime.close();
}

/** Where the controller listens, who may call it, and where each cluster's services answer. */
function printServing(
  ctx: CommandContext,
  url: string,
  runtime: PlatformRuntime,
  auth: { tokens: TokenStore; oidcIssuer: string | undefined },
): void {
  const { spec } = runtime.controller;
  ctx.io.out(`slipway controller for platform ${spec.metadata.name} on ${url}`);
  ctx.io.out(`  dashboard: ${url}/`);
  ctx.io.out(
    auth.tokens.enabled || auth.oidcIssuer
      ? `  API: a token is required (${auth.tokens.list().filter((t) => !t.revokedAt).length} live in ${auth.tokens.file}${auth.oidcIssuer ? `; OIDC tokens from ${auth.oidcIssuer}` : ''})`
      : '  API: open to this machine (no tokens; `slipway token create` turns authentication on)',
  );
  for (const [cluster, target] of runtime.targets)
    if (target instanceof KubernetesTarget)
      ctx.io.out(`  cluster ${cluster}: Kubernetes, context ${target.context}`);
  for (const [cluster, target] of runtime.localClusters) {
    const services = Object.keys(spec.services).filter((s) => spec.services[s]?.local);
    ctx.io.out(
      `  cluster ${cluster}: metrics ${target.adminUrl}/metrics; ${services.map((s) => `${s} ${target.endpoint(s)}`).join(', ')}`,
    );
  }
}
