/** @module `slipway cost`: the monthly estimate per environment, as the medical platform document's table. */
import type { Command } from 'commander';
import { estimateCost, type CostEstimate, type Prices } from '../../cost/estimate.js';
import { SlipwayError } from '../../errors/index.js';
import { selectEnvironments } from '../../render/render-platform.js';
import { requireSpec } from '../../spec/index.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { splitList } from '../options.js';

function price(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new SlipwayError('CLI_BAD_PRICE', `${flag} must be a non-negative number, not "${value}"`);
  return n;
}

function table(estimate: CostEstimate): string {
  const money = (n: number) =>
    `${estimate.prices.currency === 'USD' ? '$' : ''}${Math.round(n).toLocaleString('en-US')}${estimate.prices.currency === 'USD' ? '' : ` ${estimate.prices.currency}`}`;
  const header = [
    'Service',
    'Replicas',
    'CPU Request',
    'CPU Limit',
    'Memory Request',
    'Memory Limit',
    'GPU',
    'Cost/month',
    'At limits',
    'At max scale',
  ];
  const rows = estimate.rows.map((r) => [
    r.service,
    `${r.replicas}${r.clusters > 1 ? ` (${r.clusters} clusters)` : ''}`,
    r.cpuRequest ?? '—',
    r.cpuLimit ?? '—',
    r.memoryRequest ?? '—',
    r.memoryLimit ?? '—',
    r.gpus ? String(r.gpus) : '',
    r.note ? r.note : money(r.requests),
    r.note ? '' : money(r.limits),
    r.atMax !== undefined ? money(r.atMax) : '',
  ]);
  rows.push([
    'Total',
    '',
    '',
    '',
    '',
    '',
    '',
    money(estimate.total.requests),
    money(estimate.total.limits),
    money(estimate.total.atMax),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const p = estimate.prices;
  return [
    `${estimate.environment}: monthly estimate from requests at ${p.cpuCoreMonth} ${p.currency}/core, ${p.memoryGiBMonth} ${p.currency}/GiB, ${p.gpuMonth} ${p.currency}/GPU`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function registerCost(program: Command, ctx: CommandContext): void {
  const command = program
    .command('cost')
    .description(
      'Print the monthly cost estimate of each environment from requests and limits at unit prices.',
    )
    .option('-f, --file <spec>', 'the platform spec', 'slipway.yaml')
    .option('--env <names>', 'only these environments (comma-separated)')
    .option('--cpu-price <n>', 'price of a CPU core for a month (overrides cost.cpuCoreMonth)')
    .option('--memory-price <n>', 'price of a GiB of memory for a month (overrides cost.memoryGiBMonth)')
    .option('--gpu-price <n>', 'price of a GPU for a month (overrides cost.gpuMonth)')
    .option('--json', 'print the estimate as JSON')
    .action(
      (o: {
        file: string;
        env?: string;
        cpuPrice?: string;
        memoryPrice?: string;
        gpuPrice?: string;
        json?: boolean;
      }) => {
        const { spec } = requireSpec(o.file);
        const cpu = price(o.cpuPrice, '--cpu-price') ?? spec.cost?.cpuCoreMonth;
        const memory = price(o.memoryPrice, '--memory-price') ?? spec.cost?.memoryGiBMonth;
        if (cpu === undefined || memory === undefined)
          throw new SlipwayError('COST_NO_PRICES', `${o.file} sets no unit prices`, {
            hint: 'add `cost: { currency: USD, cpuCoreMonth: 30, memoryGiBMonth: 4 }` to the spec, or pass --cpu-price and --memory-price',
          });
        const prices: Prices = {
          currency: spec.cost?.currency ?? 'USD',
          cpuCoreMonth: cpu,
          memoryGiBMonth: memory,
          gpuMonth: price(o.gpuPrice, '--gpu-price') ?? spec.cost?.gpuMonth ?? 0,
        };
        const estimates = selectEnvironments(spec, splitList(o.env)).map((e) =>
          estimateCost(spec, e, prices),
        );
        ctx.io.out(o.json ? JSON.stringify(estimates, null, 2) : estimates.map(table).join('\n\n'));
      },
    );
  withExamples(
    command,
    `
slipway cost -f examples/medical-platform/slipway.yaml --env production
slipway cost -f examples/medical-platform/slipway.yaml --cpu-price 25 --memory-price 3.5 --gpu-price 250`,
  );
}
