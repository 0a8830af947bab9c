/** @module `slipway netpol`: pod-to-pod reachability under the NetworkPolicies, compared with dependsOn. */
import type { Command } from 'commander';
import { ExitCode, SlipwayError } from '../../errors/index.js';
import { parseCidrs } from '../../policy/netpol/ip-blocks.js';
import { analyze, type NetpolReport } from '../../policy/netpol/analyze.js';
import { explainText, matrixText, reportText } from '../../policy/netpol/report-text.js';
import { groupByScope } from '../../render/object-access.js';
import { requireSpec } from '../../spec/index.js';
import type { CommandContext } from '../context.js';
import { formatError } from '../format-error.js';
import { withExamples } from '../help.js';
import { splitList } from '../options.js';
import { fileObjects, renderedObjects } from '../rendered-objects.js';

function reportJson(scope: string, r: NetpolReport) {
  return {
    scope,
    workloads: r.pods,
    dropped: r.dropped,
    dnsBlocked: r.dnsBlocked,
    unresolved: r.unresolved,
    undeclared: r.undeclared,
    ...(r.explained ? { explained: r.explained } : {}),
    ...(r.matrix
      ? { matrix: Object.fromEntries([...r.matrix].map(([from, row]) => [from, Object.fromEntries(row)])) }
      : {}),
  };
}

interface NetpolOptions {
  namespace?: string;
  file: string;
  spec?: string;
  env?: string;
  matrix?: boolean;
  explain?: boolean;
  json?: boolean;
  podCidr?: string;
}

export function registerNetpol(program: Command, ctx: CommandContext): void {
  const command = program
    .command('netpol')
    .description(
      'Compute pod-to-pod reachability under the NetworkPolicies and compare it with the declared dependencies: dropped calls, undeclared paths, blocked DNS.',
    )
    .option(
      '-n, --namespace <name>',
      'the namespace of objects in PATHS that name none (as kubectl apply -n)',
    )
    .argument('[PATHS...]', 'Kubernetes YAML files or directories instead of the rendered spec')
    .option('-f, --file <spec>', 'the platform spec (when no PATHS)', 'slipway.yaml')
    .option(
      '--spec <spec>',
      'with PATHS: take the declared calls from this spec (default: slipway.dev/depends-on annotations)',
    )
    .option('--env <names>', 'only these environments (comma-separated)')
    .option('--matrix', 'also print the connectivity matrix')
    .option('--explain', 'also print every allowed connection with the policy rule that allows it')
    .option('--json', 'print the reports as JSON')
    .option(
      '--pod-cidr <cidrs>',
      "the cluster's pod CIDRs (comma-separated), so that ipBlock peers covering them allow pods; without it an ipBlock matches no pod",
    )
    .action((paths: string[], o: NetpolOptions) => runNetpol(paths, o, ctx));
  withExamples(
    command,
    `
# Do the rendered policies allow exactly the declared calls?
slipway netpol -f examples/medical-platform/slipway.yaml --env production --matrix

# Check hand-written policies against the spec's dependsOn
slipway netpol k8s/ --spec examples/medical-platform/slipway.yaml`,
  );
}

function runNetpol(paths: string[], o: NetpolOptions, ctx: CommandContext): void {
  const { cidrs: podCidrs, bad } = parseCidrs(splitList(o.podCidr) ?? []);
  if (bad !== undefined)
    throw new SlipwayError('CLI_BAD_CIDR', `--pod-cidr: "${bad.slice(0, 60)}" is not a CIDR`, {
      hint: 'e.g. --pod-cidr 10.244.0.0/16,fd00:10:244::/56',
    });
  const read =
    paths.length > 0
      ? fileObjects(paths, o.namespace)
      : { objects: renderedObjects(o.file, o.env), errors: [] };
  const objects = read.objects;
  // A bad document or List item is reported where it is; the rest is still analysed.
  for (const error of read.errors) ctx.io.err(formatError(error));
  let declared: ((service: string) => string[] | undefined) | undefined;
  let exposedTo:
    ((service: string) => { namespace?: string; podLabels?: Record<string, string> }[]) | undefined;
  if (paths.length > 0 && o.spec) {
    const { spec } = requireSpec(o.spec);
    declared = (service) => spec.services[service]?.dependsOn ?? [];
    exposedTo = (service) => spec.services[service]?.expose?.from ?? [];
  }
  const reports = [...groupByScope(objects)].map(([scope = 'input', group]) => ({
    scope,
    report: analyze(
      group.map((g) => g.object),
      declared,
      exposedTo,
      podCidrs,
      {
        matrix: o.matrix === true,
        explain: o.explain === true,
      },
    ),
  }));
  if (o.json)
    ctx.io.out(
      JSON.stringify(
        reports.map((r) => reportJson(r.scope, r.report)),
        null,
        2,
      ),
    );
  else
    for (const { scope, report } of reports) {
      ctx.io.out(reportText(report, scope));
      if (o.explain) ctx.io.out(explainText(report));
      if (o.matrix) ctx.io.out(`${matrixText(report)}\n`);
    }
  const dropped = reports.some((r) => r.report.dropped.length > 0 || r.report.dnsBlocked.length > 0);
  ctx.exitCode = read.errors.length > 0 ? ExitCode.userError : dropped ? ExitCode.findings : ExitCode.ok;
}
