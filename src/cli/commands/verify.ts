/**
 * @module The audit log out of the controller and checked: `slipway history --export FILE` writes every
 * release and its hash-chained events as JSON Lines; `slipway verify` recomputes every chain — from the
 * controller, or from an export — and names the first broken link of each release.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ExitCode, SlipwayError } from '../../errors/index.js';
import type { ReleaseRecord, StoredEvent } from '../../store/store.js';
import { firstBrokenLink } from '../../store/verify-chain.js';
import { api, serverUrl } from '../client.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { addServer, type ServerOpts } from './release-commands.js';

/** Every release (oldest first) and its events, from the controller. */
export async function* auditLog(
  server: string,
): AsyncGenerator<{ release: ReleaseRecord; events: StoredEvent[] }> {
  const releases = await api<ReleaseRecord[]>(server, 'GET', '/v1/releases?limit=1000000&full=1');
  for (const release of releases.reverse())
    yield {
      release,
      events: await api<StoredEvent[]>(
        server,
        'GET',
        `/v1/releases/${encodeURIComponent(release.id)}/events`,
      ),
    };
}

export async function exportAuditLog(
  server: string,
  file: string,
): Promise<{ releases: number; events: number }> {
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const opened = new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new SlipwayError('CLI_EXPORT_FILE', `cannot write ${file}: ${(error as Error).message}`, {
      hint: 'name a file that does not exist yet (an export never overwrites one)',
    });
  }
  let releases = 0;
  let events = 0;
  for await (const { release, events: list } of auditLog(server)) {
    out.write(`${JSON.stringify({ record: 'release', ...release })}\n`);
    for (const e of list) out.write(`${JSON.stringify({ record: 'event', ...e })}\n`);
    releases++;
    events += list.length;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { releases, events };
}

/** An export read back: each release's events, in file order; a line that is not JSON is located. */
function readExport(file: string): Map<string, StoredEvent[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SlipwayError('CLI_EXPORT_FILE', `cannot read ${file}: ${(error as Error).message}`);
  }
  const chains = new Map<string, StoredEvent[]>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let row: { record?: string; id?: string } & Partial<StoredEvent>;
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new SlipwayError('CLI_EXPORT_FILE', `${file}:${i + 1}: not a JSON line`, {
        hint: 'an export from slipway history --export has one JSON object per line',
      });
    }
    if (row.record === 'release' && row.id) chains.set(row.id, chains.get(row.id) ?? []);
    else if (row.record === 'event' && row.releaseId)
      chains.set(row.releaseId, [...(chains.get(row.releaseId) ?? []), row as StoredEvent]);
  });
  return chains;
}

export function registerVerify(program: Command, ctx: CommandContext): void {
  const verify = addServer(
    program
      .command('verify')
      .description(
        "Recompute every release's hash chain (the controller's, or an export's) and name each first broken link.",
      )
      .option('--file <export>', 'check an export from slipway history --export instead of the controller'),
  ).action(async (o: ServerOpts & { file?: string }) => {
    const chains = new Map<string, StoredEvent[]>();
    if (o.file) for (const [id, events] of readExport(o.file)) chains.set(id, events);
    else
      for await (const { release, events } of auditLog(serverUrl(o.server))) chains.set(release.id, events);
    let broken = 0;
    let events = 0;
    for (const [id, list] of chains) {
      events += list.length;
      const link = firstBrokenLink(list);
      if (!link) continue;
      broken++;
      ctx.io.out(`release ${id}: broken at event ${link.seq} (${link.type}, ${link.time}): ${link.reason}`);
    }
    ctx.io.out(
      broken
        ? `${broken} of ${chains.size} release(s) have a broken chain`
        : `${chains.size} release(s), ${events} event(s): every chain is intact`,
    );
    ctx.exitCode = broken ? ExitCode.findings : ExitCode.ok;
  });
  withExamples(
    verify,
    'slipway verify\nslipway history --export audit.jsonl && slipway verify --file audit.jsonl',
  );
}
