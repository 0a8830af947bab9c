/** @module `slipway diagnose`: the controller writes a release's diagnostics bundle and says where. */
import type { Command } from 'commander';
import { actorName, api, serverUrl } from '../client.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { addServer, releaseOrLatest, type ServerOpts } from './release-commands.js';

export function registerDiagnose(program: Command, ctx: CommandContext): void {
  const diagnose = addServer(
    program
      .command('diagnose')
      .description(
        "Write a release's diagnostics bundle (.tar.gz: plan, events, spec, what each cluster shows, the spec's diagnostics commands), secrets redacted.",
      )
      .argument('[RELEASE]', 'release id (default: the latest)')
      .option('--as <name>', 'who asks (default $SLIPWAY_ACTOR or $USER)'),
  ).action(async (id: string | undefined, o: ServerOpts) => {
    const server = serverUrl(o.server);
    const releaseId = await releaseOrLatest(server, id);
    const { path } = await api<{ path: string }>(
      server,
      'POST',
      `/v1/releases/${encodeURIComponent(releaseId)}/diagnostics`,
      { actor: actorName(o.as) },
    );
    ctx.io.out(`diagnostics of ${releaseId}: ${path}`);
  });
  withExamples(
    diagnose,
    'slipway diagnose\nslipway diagnose r20261130101500-ab12 && tar tzf .slipway/diagnostics/*.tar.gz',
  );
}
