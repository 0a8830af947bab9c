/** @module `slipway lint`: production-readiness rules over rendered objects or any Kubernetes YAML. */
import type { Command } from 'commander';
import { ExitCode, type SlipwayError } from '../../errors/index.js';
import { ALL_RULES, lint, type LintResult } from '../../policy/lint.js';
import { lintFromWire, type WireLintResult } from '../../policy/lint-wire.js';
import { selectRules } from '../../policy/select-rules.js';
import { jsonReport, sarifReport, textReport } from '../../policy/report.js';
import type { Severity } from '../../policy/rule.js';
import { api } from '../client.js';
import type { CommandContext } from '../context.js';
import { formatError } from '../format-error.js';
import { withExamples } from '../help.js';
import { fileObjects, renderedObjects } from '../rendered-objects.js';
import { parseFormat, splitList } from '../options.js';

/** What the controller's spec renders, linted by the controller (its own spec and text). */
async function remoteLint(
  server: string,
  environments: string[] | undefined,
  only: string[] | undefined,
  disable: string[] | undefined,
): Promise<LintResult> {
  const body = {
    ...(environments ? { environments } : {}),
    ...(only ? { only } : {}),
    ...(disable ? { disable } : {}),
  };
  return lintFromWire(await api<WireLintResult>(server, 'POST', '/v1/lint', body));
}

/** The files given, or what the spec renders; the bad parts of the files beside the result. */
function localLint(
  paths: string[],
  o: { namespace?: string; file: string; env?: string },
  only: string[] | undefined,
  disable: string[] | undefined,
): { result: LintResult; errors: SlipwayError[] } {
  const read =
    paths.length > 0
      ? fileObjects(paths, o.namespace)
      : { objects: renderedObjects(o.file, o.env), errors: [] };
  return { result: lint(read.objects, selectRules(only, disable)), errors: read.errors };
}

const FAIL_RANK: Record<string, number> = { error: 0, warning: 1, info: 2, never: -1 };

interface LintOptions {
  namespace?: string;
  disable?: string;
  only?: string;
  file: string;
  env?: string;
  format: string;
  failOn: string;
  showSuppressed?: boolean;
  listRules?: boolean;
  server?: string;
}

export function registerLint(program: Command, ctx: CommandContext, version: string): void {
  const command = program
    .command('lint')
    .description(
      'Check the rendered objects (or Kubernetes YAML files: multi-document, Lists, helm template output) against production-readiness rules.',
    )
    .option(
      '-n, --namespace <name>',
      'the namespace of objects in PATHS that name none (as kubectl apply -n)',
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
    .option('--disable <ids>', 'skip these rules (comma-separated ids)')
    .option('--only <ids>', 'run only these rules (comma-separated ids)')
    .option('--show-suppressed', 'also print suppressed findings and their reasons')
    .option('--list-rules', 'print the rules and exit')
    .option('--server <url>', 'lint what the spec this controller runs renders (-f is then not read)')
    .action((paths: string[], o: LintOptions) => runLint(paths, o, ctx, version));
  withExamples(
    command,
    `
# Lint what the spec renders for production
slipway lint -f examples/medical-platform/slipway.yaml --env production

# Lint any manifests: files, directories, helm template output
helm template ./chart | slipway lint -
slipway lint deploy/

# Skip rules, or run only some
slipway lint -f examples/medical-platform/slipway.yaml --disable read-only-root-filesystem,run-as-non-root
slipway lint deploy/ --only image-tag,privileged

# What the running controller's spec renders, linted there
slipway lint --server http://127.0.0.1:7447 --env production

# SARIF for GitHub code scanning
slipway lint -f examples/medical-platform/slipway.yaml --format sarif > slipway.sarif

# Silence one rule for one object, with the reason (annotation on the object or in services.<name>.annotations):
#   lint.slipway.dev/ignore-run-as-non-root: "postgres starts as root and drops to uid 999"`,
  );
}

async function runLint(paths: string[], o: LintOptions, ctx: CommandContext, version: string): Promise<void> {
  const format = parseFormat(o.format, ['text', 'json', 'sarif']);
  parseFormat(o.failOn, Object.keys(FAIL_RANK));
  if (o.listRules) {
    for (const rule of ALL_RULES)
      ctx.io.out(
        `${rule.id.padEnd(28)} ${rule.severity.padEnd(8)} ${rule.title}\n${' '.repeat(38)}fix: ${rule.fix}`,
      );
    return;
  }
  const only = splitList(o.only);
  const disable = splitList(o.disable);
  const { result, errors } =
    o.server && paths.length === 0
      ? { result: await remoteLint(o.server, splitList(o.env), only, disable), errors: [] }
      : localLint(paths, o, only, disable);
  // A bad document or List item is reported where it is; the rest is still linted.
  for (const error of errors) ctx.io.err(formatError(error));
  if (format === 'sarif') ctx.io.out(JSON.stringify(sarifReport(result, version), null, 2));
  else if (format === 'json') ctx.io.out(JSON.stringify(jsonReport(result), null, 2));
  else ctx.io.out(textReport(result, o.showSuppressed));
  const limit = FAIL_RANK[o.failOn]!;
  const failing = result.findings.some((f) => !f.suppressed && FAIL_RANK[f.severity as Severity]! <= limit);
  ctx.exitCode = errors.length > 0 ? ExitCode.userError : failing ? ExitCode.findings : ExitCode.ok;
}
