/** @module `release`, `status`, `history`, `approve`, `promote`, `abort`, `rollback`: thin calls to the controller. */
import type { Command } from 'commander';
import { ExitCode, SlipwayError } from '../../errors/index.js';
import { name } from '../../spec/schema/primitives.js';
import type { SerializedRelease } from '../../server/views.js';
import { requireVersion } from '../../spec/version.js';
import { actorName, api, serverUrl } from '../client.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { recoveryLines } from '../../plan/render-plan.js';
import { follow } from '../progress.js';
import { exportAuditLog } from './verify.js';

export interface ServerOpts {
  server?: string;
  json?: boolean;
  as?: string;
}

export function parseChanges(args: string[]): { service: string; version: string; committedAt?: string }[] {
  return args.map((arg) => {
    // A service name has no "@": the first one separates it from the version.
    const at = arg.indexOf('@');
    if (at <= 0 || at === arg.length - 1 || !name.safeParse(arg.slice(0, at)).success) {
      throw new SlipwayError('CLI_BAD_CHANGE', `"${arg}" is not SERVICE@VERSION`, {
        hint: 'e.g. slipway release web@v2 (a service name is lower-case letters, digits and "-")',
      });
    }
    return { service: arg.slice(0, at), version: requireVersion(arg.slice(at + 1), arg.slice(0, at + 1)) };
  });
}

const icon = (s: SerializedRelease['steps'][number]) =>
  s.evidence?.verdict === 'fail' ? '✗' : s.completedAt ? '✓' : s.startedAt ? '…' : ' ';

export function renderStatus(r: SerializedRelease): string {
  const lines = [
    `Release ${r.id} (${r.kind}) — ${r.status}`,
    `  changes: ${r.changes.map((c) => `${c.service}@${c.version}`).join(', ')}   by ${r.createdBy}   started ${r.startedAt ?? '-'}${r.finishedAt ? `   finished ${r.finishedAt}` : ''}`,
  ];
  if (r.failure) lines.push(`  failed: ${r.failure.reason}`);
  lines.push('');
  for (const s of r.steps) {
    const evidence = s.evidence ? ` — ${s.evidence.summary}` : '';
    lines.push(`  ${icon(s)} ${s.id.padEnd(44)} ${s.title}${evidence}`);
  }
  if (r.rollback) {
    lines.push('', `  rollback: ${r.rollback.reason}`);
    for (const s of r.rollback.steps) lines.push(`  ${s.completedAt ? '↩' : '…'} ${s.id}`);
  }
  lines.push(...recoveryLines(r.recovery));
  for (const warning of r.warnings ?? []) lines.push('', `Warning: ${warning}`);
  return lines.join('\n');
}

/** The release named, else the latest one; none at all is a located user error. */
export async function releaseOrLatest(server: string, id: string | undefined): Promise<string> {
  const releaseId = id ?? (await api<{ id: string }[]>(server, 'GET', '/v1/releases'))[0]?.id;
  if (!releaseId)
    throw new SlipwayError('RELEASE_NOT_FOUND', 'there are no releases yet', {
      hint: 'slipway release SERVICE@VERSION',
    });
  return releaseId;
}

export function addServer(cmd: Command): Command {
  return cmd.option('--server <url>', 'controller URL (default $SLIPWAY_SERVER or http://127.0.0.1:7447)');
}

export function registerReleaseCommands(program: Command, ctx: CommandContext): void {
  registerRelease(program, ctx);
  registerStatus(program, ctx);
  registerHistory(program, ctx);
  registerDecisions(program, ctx);
  registerRollback(program, ctx);
}

/** release: create one and follow it to its end. */
function registerRelease(program: Command, ctx: CommandContext): void {
  const release = addServer(
    program
      .command('release')
      .description(
        'Release new versions through every environment, with live progress; exits 1 if it rolls back.',
      )
      .argument('<SERVICE@VERSION...>', 'what to release')
      .option('--env <names>', 'only these environments (comma-separated)')
      .option('--no-wait', 'return once the release is created')
      .option('--as <name>', 'who releases (default $SLIPWAY_ACTOR or $USER)')
      .option('--committed-at <time>', "when the versions were committed (ISO 8601): DORA's lead time")
      .option('--json', 'print the final release as JSON'),
  ).action(async (args: string[], o: ServerOpts & { env?: string; wait: boolean; committedAt?: string }) => {
    const server = serverUrl(o.server);
    if (o.committedAt !== undefined && !Number.isFinite(Date.parse(o.committedAt)))
      throw new SlipwayError('CLI_BAD_TIME', `--committed-at "${o.committedAt}" is not a time`, {
        hint: 'ISO 8601, e.g. 2026-11-30T09:00:00Z',
      });
    const changes = parseChanges(args).map((c) =>
      o.committedAt ? { ...c, committedAt: new Date(o.committedAt).toISOString() } : c,
    );
    const request = { changes, ...(o.env ? { environments: o.env.split(',') } : {}) };
    const created = await api<SerializedRelease>(server, 'POST', '/v1/releases', {
      request,
      actor: actorName(o.as),
    });
    if (!o.wait) {
      ctx.io.out(
        o.json
          ? JSON.stringify(created, null, 2)
          : `release ${created.id} created: slipway status ${created.id}`,
      );
      return;
    }
    await follow(server, created.id, o.json ? () => undefined : (line) => ctx.io.out(line));
    const final = await api<SerializedRelease>(server, 'GET', `/v1/releases/${created.id}`);
    if (o.json) ctx.io.out(JSON.stringify(final, null, 2));
    ctx.exitCode = final.status === 'succeeded' ? ExitCode.ok : ExitCode.releaseFailed;
  });
  withExamples(
    release,
    `
# Release web v2 through staging and production
slipway release web@v2

# Two services, staging only, and return at once
slipway release api@1.4.2 worker@1.4.2 --env staging --no-wait`,
  );
}

/** status: one release, or follow it live. */
function registerStatus(program: Command, ctx: CommandContext): void {
  const status = addServer(
    program
      .command('status')
      .description('Show a release: each step, its verdict and evidence.')
      .argument('[RELEASE]', 'release id (default: the latest)')
      .option('--json', 'print as JSON')
      .option('--watch', 'follow the release live until it ends, then show it'),
  ).action(async (id: string | undefined, o: ServerOpts & { watch?: boolean }) => {
    const server = serverUrl(o.server);
    const releaseId = await releaseOrLatest(server, id);
    if (o.watch)
      await follow(server, releaseId, (line) => {
        if (!o.json) ctx.io.out(line);
      });
    const r = await api<SerializedRelease>(server, 'GET', `/v1/releases/${encodeURIComponent(releaseId)}`);
    ctx.io.out(o.json ? JSON.stringify(r, null, 2) : renderStatus(r));
  });
  withExamples(
    status,
    `
slipway status
slipway status --watch        # the latest release, live until it ends
slipway status r20261123120000-ab12 --json`,
  );
}

/** history: the list, or the whole audit log exported. */
function registerHistory(program: Command, ctx: CommandContext): void {
  const history = addServer(
    program
      .command('history')
      .description('List releases, newest first; or export the whole audit log.')
      .option('--json', 'print as JSON')
      .option('--export <file>', 'write every release and its hash-chained events to FILE as JSON Lines'),
  ).action(async (o: ServerOpts & { export?: string }) => {
    if (o.export) {
      const { releases, events } = await exportAuditLog(serverUrl(o.server), o.export);
      ctx.io.out(
        `${releases} release(s), ${events} event(s) written to ${o.export}: slipway verify --file ${o.export}`,
      );
      return;
    }
    const list = await api<
      {
        id: string;
        kind: string;
        status: string;
        createdAt: string;
        createdBy: string;
        changes: { service: string; version: string }[];
      }[]
    >(serverUrl(o.server), 'GET', '/v1/releases');
    if (o.json) return ctx.io.out(JSON.stringify(list, null, 2));
    ctx.io.out(
      `${'RELEASE'.padEnd(22)} ${'KIND'.padEnd(9)} ${'STATUS'.padEnd(12)} ${'CREATED'.padEnd(25)} ${'BY'.padEnd(12)} CHANGES`,
    );
    for (const r of list) {
      ctx.io.out(
        `${r.id.padEnd(22)} ${r.kind.padEnd(9)} ${r.status.padEnd(12)} ${r.createdAt.padEnd(25)} ${r.createdBy.padEnd(12)} ${(r.changes ?? []).map((c) => `${c.service}@${c.version}`).join(', ')}`,
      );
    }
  });
  withExamples(history, 'slipway history\nslipway history --json\nslipway history --export audit.jsonl');
}

/** approve, promote, abort: a person's decision on a running release. */
function registerDecisions(program: Command, ctx: CommandContext): void {
  for (const [name, description, path] of [
    ['approve', 'Approve a release waiting at an environment gate (your name is recorded).', 'approve'],
    ['promote', 'Continue a canary paused until promotion.', 'promote'],
    ['abort', 'Stop a release and roll back what it changed.', 'abort'],
  ] as const) {
    const cmd = addServer(
      program
        .command(name)
        .description(description)
        .argument('<RELEASE>', 'release id')
        .option('--as <name>', 'who (default $SLIPWAY_ACTOR or $USER)')
        .option('--json', 'print the release as JSON'),
    );
    if (name === 'approve')
      cmd.option('--env <name>', 'the environment to approve (default: the one waiting)');
    if (name === 'abort') cmd.option('--reason <text>', 'why', 'aborted');
    cmd.action(async (id: string, o: ServerOpts & { env?: string; reason?: string }) => {
      const r = await api<SerializedRelease>(
        serverUrl(o.server),
        'POST',
        `/v1/releases/${encodeURIComponent(id)}/${path}`,
        {
          actor: actorName(o.as),
          ...(o.env ? { environment: o.env } : {}),
          ...(o.reason ? { reason: o.reason } : {}),
        },
      );
      ctx.io.out(o.json ? JSON.stringify(r, null, 2) : `${name}: release ${r.id} is ${r.status}`);
    });
    withExamples(cmd, `slipway ${name} r20261123120000-ab12${name === 'approve' ? ' --as alice' : ''}`);
  }
}

/** rollback: a service, or every service of a release. */
function registerRollback(program: Command, ctx: CommandContext): void {
  const rollback = addServer(
    program
      .command('rollback')
      .description(
        'Roll a service back (to its previous version, or --to one), or undo every service of a release.',
      )
      .argument('[SERVICE]', 'the service to roll back')
      .option('--to <version>', 'the version to go back to (default: the one before the current)')
      .option('--env <names>', 'only these environments (comma-separated)')
      .option('--release <id>', 'undo every service of this release')
      .option('--as <name>', 'who (default $SLIPWAY_ACTOR or $USER)')
      .option('--no-wait', 'return once the rollback is created')
      .option('--json', 'print the rollback release as JSON'),
  ).action(
    async (
      service: string | undefined,
      o: ServerOpts & { to?: string; env?: string; release?: string; wait: boolean },
    ) => {
      if (!service && !o.release)
        throw new SlipwayError('CLI_MISSING_ARGUMENT', 'name a SERVICE or --release RELEASE');
      const server = serverUrl(o.server);
      const request = {
        ...(service ? { service } : {}),
        ...(o.to !== undefined ? { to: requireVersion(o.to, 'rollback --to') } : {}),
        ...(o.env ? { environments: o.env.split(',') } : {}),
        ...(o.release ? { release: o.release } : {}),
      };
      const created = await api<SerializedRelease>(server, 'POST', '/v1/rollback', {
        request,
        actor: actorName(o.as),
      });
      if (o.wait) await follow(server, created.id, o.json ? () => undefined : (line) => ctx.io.out(line));
      const final = await api<SerializedRelease>(server, 'GET', `/v1/releases/${created.id}`);
      if (o.json) ctx.io.out(JSON.stringify(final, null, 2));
      ctx.exitCode = !o.wait || final.status === 'succeeded' ? ExitCode.ok : ExitCode.releaseFailed;
    },
  );
  withExamples(
    rollback,
    `
# Back to the previous version everywhere
slipway rollback web

# A named version, production only
slipway rollback web --to v1 --env production

# Undo every service of a release (the runbook's full rollback)
slipway rollback --release r20261123120000-ab12`,
  );
}
