/** @module `slipway demo`: a real canary release and a real automatic rollback on this machine. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type DemoResult, runDemo } from '../../demo/run-demo.js';
import { ExitCode } from '../../errors/index.js';
import { untilSignal } from '../../io/until-signal.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';

export function registerDemo(program: Command, ctx: CommandContext): void {
  const command = program
    .command('demo')
    .description(
      'Run the demo platform locally: steady traffic, a healthy release (v2) and a faulty one (v3) rolled back.',
    )
    .option('--rps <n>', 'requests per second to each cluster', '250')
    .option('--json', 'print the result as one JSON object')
    .option('--stay', 'keep the controller and its dashboard up after the demo, until Ctrl-C')
    .action(async (o: { rps: string; json?: boolean; stay?: boolean }) => {
      const t0 = Date.now();
      const log = o.json
        ? undefined
        : (line: string) => ctx.io.out(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}`);
      const result = await runDemo({
        root: resolve(import.meta.dirname, '../../..'),
        rpsPerCluster: Number(o.rps),
        ...(log ? { log } : {}),
        beforeClose: async (r) => {
          printResult(ctx, r, o.json === true);
          if (!o.stay) return;
          ctx.io.out(
            `\nThe dashboard stays up at ${r.dashboard.url} (token ${r.dashboard.token}); Ctrl-C ends the demo.`,
          );
          await untilSignal();
        },
      });
      const expected = result.releases.map((r) => r.outcome).join(',') === 'succeeded,rolled-back';
      ctx.exitCode = expected ? ExitCode.ok : ExitCode.releaseFailed;
    });
  withExamples(
    command,
    'slipway demo\nslipway demo --json\nslipway demo --stay   # then open the dashboard it prints',
  );
}

function printResult(ctx: CommandContext, result: DemoResult, json: boolean): void {
  if (json) {
    ctx.io.out(JSON.stringify(result, null, 2));
  } else {
    ctx.io.out('');
    ctx.io.out(
      `Demo of platform ${result.platform}: staging → production (prod-east, then prod-west), ${result.rpsPerCluster} req/s per cluster`,
    );
    ctx.io.out('');
    ctx.io.out(
      `  ${'release'.padEnd(8)} ${'outcome'.padEnd(12)} ${'requests'.padStart(9)} ${'failed'.padStart(7)}  decision`,
    );
    for (const r of result.releases) {
      const decision =
        r.decisionSeconds === null
          ? '-'
          : `${r.decisionSeconds}s from the first bad request to the rollback decision`;
      ctx.io.out(
        `  web@${r.version.padEnd(4)} ${r.outcome.padEnd(12)} ${String(r.requests).padStart(9)} ${String(r.failedRequests).padStart(7)}  ${decision}`,
      );
      if (r.reason) ctx.io.out(`  ${''.padEnd(8)} reason: ${r.reason}`);
    }
    ctx.io.out('');
    ctx.io.out(
      `  ${result.requestsServed} requests served, ${result.failedRequests} failed, in ${result.seconds}s`,
    );
    ctx.io.out(
      `  final versions: ${Object.entries(result.finalVersions)
        .map(([c, v]) => `${c} web@${v}`)
        .join(', ')}`,
    );
  }
}
