/** @module `slipway dora`: the DORA delivery metrics of the controller's history, per environment and service. */
import type { Command } from 'commander';
import type { DoraFigures, DoraReport } from '../../dora/dora.js';
import { readableHours } from '../../dora/readable-hours.js';
import { api, serverUrl } from '../client.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { addServer, type ServerOpts } from './release-commands.js';

const hours = (h: number | null) => readableHours(h);
const band = (b: string | null) => (b ? ` (${b})` : '');

function row(name: string, f: DoraFigures): string {
  const frequency = `${f.deployments} deploys, ${f.medianDeploymentDaysPerWeek} days/week${band(f.deploymentFrequency)}`;
  const lead = `${hours(f.leadTimeHours)}${band(f.leadTime)}`;
  const cfr =
    f.changeFailureRate === null
      ? '-'
      : `${(f.changeFailureRate * 100).toFixed(1)}% (${f.failures}/${f.finished})${band(f.changeFailure)}`;
  const restore = `${hours(f.timeToRestoreHours)}${band(f.timeToRestore)}${f.unrestored ? `, ${f.unrestored} not restored` : ''}`;
  return `${name.padEnd(32)} ${frequency.padEnd(36)} ${lead.padEnd(16)} ${cfr.padEnd(24)} ${restore}`;
}

export function renderDora(r: DoraReport): string {
  const lines = [
    `DORA metrics from ${r.since} to ${r.until}`,
    '',
    `${'ENVIRONMENT / SERVICE'.padEnd(32)} ${'DEPLOYMENT FREQUENCY'.padEnd(36)} ${'LEAD TIME'.padEnd(16)} ${'CHANGE FAILURE RATE'.padEnd(24)} TIME TO RESTORE`,
  ];
  for (const env of r.byEnvironment) {
    lines.push(row(env.environment, env));
    for (const s of r.byService.filter((x) => x.environment === env.environment))
      lines.push(row(`  ${s.service}`, s));
  }
  if (r.byEnvironment.length === 0) lines.push('(no release finished in this window)');
  return lines.join('\n');
}

export function registerDora(program: Command, ctx: CommandContext): void {
  const dora = addServer(
    program
      .command('dora')
      .description(
        'DORA delivery metrics (deployment frequency, lead time, change failure rate, time to restore) per environment and service, with their performance bands.',
      )
      .option('--since <window>', 'how far back, e.g. 30d or 12h', '30d')
      .option('--json', 'print as JSON'),
  ).action(async (o: ServerOpts & { since: string }) => {
    const report = await api<DoraReport>(
      serverUrl(o.server),
      'GET',
      `/v1/dora?since=${encodeURIComponent(o.since)}`,
    );
    ctx.io.out(o.json ? JSON.stringify(report, null, 2) : renderDora(report));
  });
  withExamples(dora, 'slipway dora\nslipway dora --since 90d --json');
}
