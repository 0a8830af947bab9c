/** @module `slipway lint`: production-readiness rules over rendered objects or any Kubernetes YAML. */
import type { Command } from 'commander';
import { ExitCode } from '../../errors/index.js';
import { ALL_RULES, lint } from '../../policy/lint.js';
import { jsonReport, sarifReport, textReport } from '../../policy/report.js';
import type { Severity } from '../../policy/rule.js';
import type { CommandContext } from '../context.js';
import { withExamples } from '../help.js';
import { fileObjects, renderedObjects } from '../rendered-objects.js';
import { parseFormat } from './render.js';

const FAIL_RANK: Record<string, number> = { error: 0, warning: 1, info: 2, never: -1 };

export function registerLint(program: Command, ctx: CommandContext, version: string): void {
  const command = program
    .command('lint')
    .description(
      'Check the rendered objects (or Kubernetes YAML files: multi-document, Lists, helm template output) against production-readiness rules.',
    )
    .argument('[PATHS...]', 'YAML/JSON files or directories to lint instead of the spec')
    .option('-f, --file <spec>', 'the platform spec (when no PATHS)', 'slipway.yaml')
    .option('--env <names>', 'only these environments (comma-separated)')
    .option('--format <format>', 'text, json or sarif', 'text')
    .option(
      '--fail-on <severity>',
      'exit 1 on findings of this severity or worse: error, warning, info, never',
      'error',
    )
    .option('--show-suppressed', 'also print suppressed findings and their reasons')
    .option('--list-rules', 'print the rules and exit')
    .action(
      (
        paths: string[],
        o: {
          file: string;
          env?: string;
          format: string;
          failOn: string;
          showSuppressed?: boolean;
          listRules?: boolean;
        },
      ) => {
        const format = parseFormat(o.format, ['text', 'json', 'sarif']);
        parseFormat(o.failOn, Object.keys(FAIL_RANK));
        if (o.listRules) {
          for (const rule of ALL_RULES)
            ctx.io.out(
              `${rule.id.padEnd(28)} ${rule.severity.padEnd(8)} ${rule.title}\n${' '.repeat(38)}fix: ${rule.fix}`,
            );
          return;
        }
        const { objects } = paths.length > 0 ? fileObjects(paths) : renderedObjects(o.file, o.env);
        const result = lint(objects);
        if (format === 'sarif') ctx.io.out(JSON.stringify(sarifReport(result, version), null, 2));
        else if (format === 'json') ctx.io.out(JSON.stringify(jsonReport(result), null, 2));
        else ctx.io.out(textReport(result, o.showSuppressed));
        const limit = FAIL_RANK[o.failOn]!;
        const failing = result.findings.some(
          (f) => !f.suppressed && FAIL_RANK[f.severity as Severity]! <= limit,
        );
        ctx.exitCode = failing ? ExitCode.findings : ExitCode.ok;
      },
    );
  withExamples(
    command,
    `
# Lint what the spec renders for production
slipway lint -f examples/medical-platform/slipway.yaml --env production

# Lint any manifests: files, directories, helm template output
helm template ./chart | tee /tmp/chart.yaml && slipway lint /tmp/chart.yaml
slipway lint deploy/

# SARIF for GitHub code scanning
slipway lint -f examples/medical-platform/slipway.yaml --format sarif > slipway.sarif

# Silence one rule for one object, with the reason (annotation on the object or in services.<name>.annotations):
#   lint.slipway.dev/ignore-run-as-non-root: "postgres starts as root and drops to uid 999"`,
  );
}
