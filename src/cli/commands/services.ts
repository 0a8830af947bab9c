/** @module `slipway services`: what runs where — versions, weights, and each local service's address. */
import type { Command } from 'commander';
import type { DesiredState } from '../../store/store.js';
import { api, serverUrl } from '../client.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { addServer, type ServerOpts } from './release-commands.js';

type ServiceRow = DesiredState & { endpoint?: string };

export function renderServices(rows: ServiceRow[]): string {
  if (rows.length === 0) return '(nothing released yet)';
  const groups = (r: ServiceRow) =>
    Object.entries(r.groups)
      .map(([g, v]) => `${g} ${v?.version} ×${v?.replicas}`)
      .join(', ');
  const weights = (r: ServiceRow) =>
    Object.entries(r.weights)
      .map(([g, w]) => `${g} ${w}%`)
      .join(', ');
  const lines = [
    `${'CLUSTER'.padEnd(16)} ${'SERVICE'.padEnd(20)} ${'RUNS'.padEnd(36)} ${'TRAFFIC'.padEnd(24)} ENDPOINT`,
  ];
  for (const r of rows)
    lines.push(
      `${r.cluster.padEnd(16)} ${r.service.padEnd(20)} ${groups(r).padEnd(36)} ${weights(r).padEnd(24)} ${r.endpoint ?? '-'}`,
    );
  return lines.join('\n');
}

export function registerServices(program: Command, ctx: CommandContext): void {
  const command = addServer(
    program
      .command('services')
      .description(
        "What runs where: each service's versions and replicas per cluster, how traffic is split, and where a local cluster serves it (its port stays across controller restarts).",
      )
      .option('--json', 'print as JSON'),
  ).action(async (o: ServerOpts) => {
    const rows = await api<ServiceRow[]>(serverUrl(o.server), 'GET', '/v1/services');
    ctx.io.out(o.json ? JSON.stringify(rows, null, 2) : renderServices(rows));
  });
  withExamples(command, 'slipway services\nslipway services --json');
}
